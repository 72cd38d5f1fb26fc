// A stand-in for the dstack guest agent in tests: a Unix-socket HTTP/1.1 server (Beast) in its own
// thread that records each request and answers it as told (a canned answer, raw bytes, silence).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace pnc::providers::testing {

class FakeDstackAgent {
 public:
  struct Request {
    std::string method, target, content_type, host, body;
  };
  // What the agent does with a request: return the raw bytes to send (then close), or nullopt to
  // stay silent until the client gives up.
  using Reply = std::function<std::optional<std::string>(const Request&)>;

  FakeDstackAgent(std::string socket_path, Reply reply)
      : path_(std::move(socket_path)), reply_(std::move(reply)), acceptor_(ioc_) {
    std::filesystem::remove(path_);
    acceptor_.open();
    acceptor_.bind(boost::asio::local::stream_protocol::endpoint(path_));
    acceptor_.listen();
    accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  FakeDstackAgent(const FakeDstackAgent&) = delete;
  FakeDstackAgent& operator=(const FakeDstackAgent&) = delete;
  ~FakeDstackAgent() {
    ioc_.stop();
    thread_.join();
    std::filesystem::remove(path_);
  }

  std::vector<Request> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  // A complete HTTP/1.1 answer with the given status and body.
  static std::string http(int status, const std::string& body, const std::string& type = "application/json") {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + type +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  }

 private:
  struct Conn {
    explicit Conn(boost::asio::io_context& ioc) : socket(ioc) {}
    boost::asio::local::stream_protocol::socket socket;
    boost::beast::flat_buffer buffer;
    boost::beast::http::request<boost::beast::http::string_body> request;
    std::string answer;
  };

  void accept() {
    auto conn = std::make_shared<Conn>(ioc_);
    acceptor_.async_accept(conn->socket, [this, conn](boost::system::error_code ec) {
      if (ec) return;
      boost::beast::http::async_read(conn->socket, conn->buffer, conn->request,
                                     [this, conn](boost::system::error_code e, std::size_t) {
                                       if (!e) answer(conn);
                                     });
      accept();
    });
  }

  void answer(const std::shared_ptr<Conn>& conn) {
    namespace http = boost::beast::http;
    Request r{std::string(conn->request.method_string()), std::string(conn->request.target()),
              std::string(conn->request[http::field::content_type]), std::string(conn->request[http::field::host]),
              conn->request.body()};
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(r);
    }
    auto bytes = reply_(r);
    if (!bytes) {
      silent_.push_back(conn);  // keep the connection open, say nothing
      return;
    }
    conn->answer = std::move(*bytes);
    boost::asio::async_write(conn->socket, boost::asio::buffer(conn->answer),
                             [conn](boost::system::error_code, std::size_t) {
                               boost::system::error_code ignored;
                               conn->socket.close(ignored);
                             });
  }

  std::string path_;
  Reply reply_;
  boost::asio::io_context ioc_;
  boost::asio::local::stream_protocol::acceptor acceptor_;
  std::vector<std::shared_ptr<Conn>> silent_;
  std::mutex mutex_;
  std::vector<Request> requests_;
  std::thread thread_;
};

}  // namespace pnc::providers::testing
