// eventlog_test.json: dstack event logs and RTMRs (PROTOCOL.md §9.5): runtime-event digests,
// RTMR replay (P-RTMR, golden V8), RTMR3 against the quote and the rtmrs object (N-Q-14, N-Q-15),
// environment-mode extraction per profile (§3.8) and the compose-hash check (§9.5, N-HS-27).
#include <cctype>

#include "common.hpp"
#include "pnc/tdx_eventlog.hpp"
#include "pnc/tdx_mock.hpp"

namespace pnc::vectors {
namespace {

std::string mhex(const tdx::Measurement& m) { return hex(Bytes(m.begin(), m.end())); }

}  // namespace

VectorFile gen_eventlog(const Golden& g) {
  VectorFile f("eventlog_test.json", "PNC-TDX-EVENTLOG", "pnc_eventlog_schema_v1.json",
               {"dstack event logs and RTMRs (PROTOCOL.md §9.5, §3.8). RuntimeEventDigest: the dstack V1 digest",
                "SHA384(LE32(0x08000001) || \":\" || event || \":\" || payload). RtmrReplay: replay of every IMR from",
                "48 zero bytes. Rtmr3Check / RtmrsCheck: against the group's quote (V8). EnvMode: ExtractEnvMode;",
                "valid = an environment is defined and equals `env` (`envProfiles` overrides per profile).",
                "ComposeHash: the first compose-hash event's payload equals `expected`."});
  f.note("Ktv", "BASIC", "The golden values of PROTOCOL.md §13 V8.", "Interoperability is broken.");
  f.note("Valid", "BASIC", "A valid log, digest or check.", "Valid evidence is refused.");
  f.note("BadLog", "EDGE_CASE", "Not a dstack array log, a malformed event or a log over 1 MiB (§9.5, §10).",
         "Parser confusion or memory exhaustion.");
  f.note("ReplayMismatch", "AUTH_BYPASS", "The log does not replay to the quote's RTMR3, or rtmrs differ (N-Q-14, N-Q-15).",
         "Unmeasured events (environment, compose hash) are trusted.");
  f.note("Environment", "EDGE_CASE", "Where and how the environment mode is carried (§3.8, D-07, D-08).",
         "dev/prod isolation is bypassed.");
  f.note("ComposeHash", "MISSING_STEP", "Compose-hash event missing, different or not in an array log (N-HS-27).",
         "Another application image is accepted.");

  const std::string log = g.s("V8", "event_log");
  const auto events = tdx::parse_event_log(log).value();
  const auto rtmrs = tdx::replay_rtmrs(events);
  check_eq(mhex(rtmrs[3]), g.j["V8"]["rtmrs"]["rtmr3"].get<std::string>(), "V8 RTMR3 replay");
  const Bytes quote = g.b("V8", "quote_b64");

  f.group("RuntimeEventDigest");
  auto dig = [&](const Case& c, const std::string& name, const Bytes& payload) {
    f.add(c, {{"event", name}, {"payload", hex(payload)}, {"digest", mhex(tdx::runtime_event_digest(name, payload))}});
  };
  for (const auto& e : events) {
    check_eq(mhex(tdx::runtime_event_digest(e.event, e.payload)), mhex(e.digest), "V8 digest " + e.event);
    dig({"V8 event " + e.event, {"Ktv"}, {"V8", "§9.5"}}, e.event, e.payload);
  }
  dig({"empty name and payload", {"Valid"}, {"§9.5"}}, "", {});
  dig({"environment-mode prod", {"Valid"}, {"§9.6"}}, "environment-mode", to_bytes("prod"));
  DeterministicRng rng(std::uint64_t{0xe7e1});
  for (int i = 0; i < 8; ++i)
    dig({"pseudorandom event " + std::to_string(i + 1), {"Valid"}, {"§9.5"}}, "event-" + std::to_string(i),
        rng.bytes(static_cast<std::size_t>(i * 11)));

  f.group("RtmrReplay");
  auto rep = [&](const Case& c, const std::string& text) {
    OJson fields = {{"eventLog", text}};
    auto ev = tdx::parse_event_log(text, c.expect.seed == "valid" ? Profile::seed_spec : Profile::sdk_compat);
    if (ev.ok()) {
      const auto r = tdx::replay_rtmrs(ev.value());
      fields["rtmrs"] = {mhex(r[0]), mhex(r[1]), mhex(r[2]), mhex(r[3])};
    }
    check(ev.ok() == (c.expect.seed == "valid" || c.expect.compat == "valid"), "replay parse outcome " + c.comment);
    f.add(c, fields);
  };
  rep({"V8 mock event log", {"Ktv"}, {"V8", "§9.5"}}, log);
  rep({"empty array", {"Valid"}, {"§9.5"}}, "[]");
  {
    auto swapped = events;
    std::swap(swapped[0], swapped[1]);
    rep({"V8 events 1 and 2 swapped (order matters)", {"Valid"}, {"P-RTMR"}}, tdx::event_log_json(swapped));
    std::vector<tdx::Event> spread;
    for (unsigned i = 0; i < 4; ++i) {
      auto e = tdx::runtime_event("ev" + std::to_string(i), rng.bytes(8));
      e.imr = i;
      spread.push_back(e);
      spread.push_back(tdx::runtime_event("more", rng.bytes(3)));
    }
    rep({"events on every IMR", {"Valid"}, {"§9.5"}}, tdx::event_log_json(spread));
    std::vector<tdx::Event> many;
    for (int i = 0; i < 40; ++i) many.push_back(tdx::runtime_event("e" + std::to_string(i), rng.bytes(5)));
    rep({"40 runtime events", {"Valid"}, {"P-RTMR"}}, tdx::event_log_json(many));
  }
  const std::string d = mhex(events[0].digest);
  const std::string ev0 = R"({"imr":3,"event_type":134217729,"digest":")" + d + R"(","event":"app-id","event_payload":"11"})";
  rep({"unknown member in an event (ignored)", {"Valid"}, {"§9.5"}},
      R"([{"imr":3,"event_type":134217729,"digest":")" + d + R"(","event":"app-id","event_payload":"11","x":null}])");
  for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
           {"object log", R"({"environment_mode":"dev"})"},
           {"not JSON", "[" + ev0},
           {"imr 4", R"([{"imr":4,"event_type":134217729,"digest":")" + d + R"(","event":"a","event_payload":""}])"},
           {"imr -1", R"([{"imr":-1,"event_type":134217729,"digest":")" + d + R"(","event":"a","event_payload":""}])"},
           {"digest of 95 hex chars", R"([{"imr":3,"event_type":134217729,"digest":")" + d.substr(1) + R"(","event":"a","event_payload":""}])"},
           {"digest of 98 hex chars", R"([{"imr":3,"event_type":134217729,"digest":")" + d + R"(00","event":"a","event_payload":""}])"},
           {"digest not hex", R"([{"imr":3,"event_type":134217729,"digest":")" + std::string(96, 'g') + R"(","event":"a","event_payload":""}])"},
           {"event_payload odd hex", R"([{"imr":3,"event_type":134217729,"digest":")" + d + R"(","event":"a","event_payload":"abc"}])"},
           {"event_type as a string", R"([{"imr":3,"event_type":"134217729","digest":")" + d + R"(","event":"a","event_payload":""}])"},
           {"digest missing", R"([{"imr":3,"event_type":134217729,"event":"a","event_payload":""}])"},
           {"event missing", R"([{"imr":3,"event_type":134217729,"digest":")" + d + R"(","event_payload":""}])"},
           {"element not an object", "[1]"}})
    rep({name, {"BadLog"}, {"§9.5"}, invalid()}, text);
  rep({"event with a duplicate member", {"BadLog"}, {"§9.5", "N-ENC-09"}, strict_reject()},
      R"([{"imr":3,"imr":3,"event_type":134217729,"digest":")" + d + R"(","event":"a","event_payload":""}])");
  f.add({"log of 1 MiB + 1 (padded with whitespace)", {"BadLog"}, {"§10"}, invalid()}, {{"eventLog", log}, {"padTo", 1048577}});

  f.group("Rtmr3Check", {{"quote", hex(quote)}});
  auto r3 = [&](const Case& c, const std::string& text) { f.add(c, {{"eventLog", text}}); };
  r3({"V8 log against the V8 quote", {"Ktv"}, {"V8", "N-Q-14"}}, log);
  {
    auto altered = events;
    altered[2].digest[0] ^= 1;
    r3({"one event digest altered", {"ReplayMismatch"}, {"N-Q-15"}, invalid()}, tdx::event_log_json(altered));
    auto swapped = events;
    std::swap(swapped[2], swapped[3]);
    r3({"two events swapped", {"ReplayMismatch"}, {"N-Q-15"}, invalid()}, tdx::event_log_json(swapped));
    auto extra = events;
    extra.push_back(tdx::runtime_event("extra", {}));
    r3({"one extra event", {"ReplayMismatch"}, {"N-Q-15"}, invalid()}, tdx::event_log_json(extra));
    auto fewer = events;
    fewer.pop_back();
    r3({"last event dropped", {"ReplayMismatch"}, {"N-Q-15"}, invalid()}, tdx::event_log_json(fewer));
    auto other_imr = events;
    other_imr[1].imr = 2;
    r3({"one event moved to IMR 2", {"ReplayMismatch"}, {"N-Q-15"}, invalid()}, tdx::event_log_json(other_imr));
    auto payload_changed = events;
    payload_changed[3].payload = to_bytes("prod");
    r3({"environment payload changed, digest kept (replays)", {"Valid"}, {"§9.5"}}, tdx::event_log_json(payload_changed));
  }

  f.group("RtmrsCheck", {{"quote", hex(quote)}});
  auto rc = [&](const Case& c, const OJson& rt) { f.add(c, {{"rtmrs", rt}}); };
  OJson v8r = {{"rtmr0", mhex(tdx::mock_rtmr(0))}, {"rtmr1", mhex(tdx::mock_rtmr(1))}, {"rtmr2", mhex(tdx::mock_rtmr(2))},
               {"rtmr3", mhex(rtmrs[3])}};
  rc({"V8 rtmrs", {"Ktv"}, {"V8", "§9.5"}}, v8r);
  for (const char* k : {"rtmr0", "rtmr3"}) {
    OJson m = v8r;
    std::string v = m[k].get<std::string>();
    v[0] = v[0] == '0' ? '1' : '0';
    m[k] = v;
    rc({std::string(k) + " differs from the quote", {"ReplayMismatch"}, {"N-Q-14"}, invalid()}, m);
  }
  {
    OJson up = v8r;
    std::string v = up["rtmr1"].get<std::string>();
    for (auto& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    up["rtmr1"] = v;
    rc({"upper-case hex", {"ReplayMismatch"}, {"§9.5", "D-28"}, invalid()}, up);
    OJson extra = v8r;
    extra["rtmr4"] = v8r["rtmr0"];
    rc({"extra key rtmr4", {"ReplayMismatch"}, {"D-28"}, invalid()}, extra);
    OJson missing = v8r;
    missing.erase("rtmr2");
    rc({"rtmr2 missing", {"ReplayMismatch"}, {"D-28"}, invalid()}, missing);
    OJson null_v = v8r;
    null_v["rtmr3"] = nullptr;
    rc({"rtmr3 null", {"ReplayMismatch"}, {"D-28"}, invalid()}, null_v);
    rc({"array form (VAL)", {"ReplayMismatch"}, {"D-28"}, invalid()},
       OJson::array({v8r["rtmr0"], v8r["rtmr1"], v8r["rtmr2"], v8r["rtmr3"]}));
    rc({"empty object {}", {"ReplayMismatch"}, {"D-28"}, invalid()}, OJson::object());
  }

  f.group("EnvMode");
  auto env = [&](const Case& c, const std::string& text, const OJson& env_value, const OJson& by_profile = OJson::object()) {
    OJson fields = {{"eventLog", text}, {"env", env_value}};
    if (!by_profile.empty()) fields["envProfiles"] = by_profile;
    f.add(c, fields);
  };
  const Expect arrays{"valid", "invalid", "valid"};  // sdk-compat: arrays carry no environment (§3.8)
  env({"V8 array log: environment-mode dev", {"Environment"}, {"§3.8", "D-07"}, arrays}, log, "dev");
  {
    tdx::MockParams prod;
    prod.env_mode = "prod";
    const std::string prod_log = tdx::event_log_json(tdx::mock_events(prod));
    env({"array log with environment-mode prod", {"Environment"}, {"§3.8"}, arrays}, prod_log, "prod");
    // DEC-116: one malformed element (not the environment event) makes the whole array log
    // unparseable, so its intact environment-mode prod event is not read.
    auto malformed = [&](const std::string& comment, const std::string& text) {
      check(text != prod_log, "EnvMode malformed log unchanged: " + comment);
      env({comment, {"Environment", "BadLog"}, {"§3.8", "§9.5", "DEC-116"}, invalid()}, text, nullptr);
    };
    const std::string imr_key = "\"imr\"", digest_key = "\"digest\":\"";
    const std::size_t first_imr = prod_log.find(imr_key), first_digest = prod_log.find(digest_key);
    // The second element's digest (the compose-hash event, mock_events order of §9.6).
    const std::size_t second_digest =
        first_digest == std::string::npos ? std::string::npos : prod_log.find(digest_key, first_digest + 1);
    if (first_imr == std::string::npos || second_digest == std::string::npos) {
      fail("EnvMode malformed logs: the mock log has no imr / second digest member");
    } else {
      const std::size_t at = second_digest + digest_key.size();
      std::string bad = prod_log;
      bad.replace(first_imr, imr_key.size(), "\"Imr\"");
      malformed("array log with environment-mode prod, first element has Imr instead of imr", bad);
      bad = prod_log;
      bad[at] = 'g';
      malformed("array log with environment-mode prod, compose-hash digest not hex", bad);
      bad = prod_log;
      bad.erase(at + 94, 2);
      malformed("array log with environment-mode prod, compose-hash digest 47 bytes", bad);
      malformed("array log with environment-mode prod after an element that is the number 42",
                "[42," + prod_log.substr(1));
    }
    auto two = tdx::mock_events();
    two.push_back(tdx::runtime_event("environment-mode", to_bytes("prod")));
    env({"two environment-mode events: the last wins", {"Environment"}, {"§3.8"}, arrays}, tdx::event_log_json(two), "prod");
    auto none = tdx::mock_events();
    none.pop_back();
    env({"array log without environment-mode", {"Environment"}, {"D-08"}, invalid()}, tdx::event_log_json(none), nullptr);
  }
  env({"object environment_mode dev", {"Environment"}, {"§3.8"}}, R"({"environment_mode":"dev"})", "dev");
  env({"object environment_mode prod", {"Environment"}, {"§3.8"}}, R"({"environment_mode":"prod"})", "prod");
  env({"object dev_mode true", {"Environment"}, {"N-HS-14"}}, R"({"dev_mode":true})", "dev");
  env({"object environment_mode wins over dev_mode", {"Environment"}, {"§3.8"}}, R"({"environment_mode":"prod","dev_mode":true})", "prod");
  env({"object dev_mode false", {"Environment"}, {"§3.8"}, invalid()}, R"({"dev_mode":false})", nullptr);
  env({"object environment_mode empty", {"Environment"}, {"§3.8"}, invalid()}, R"({"environment_mode":""})", nullptr);
  env({"object environment_mode 5 (compat renders non-strings)", {"Environment"}, {"§3.8"}, strict_reject()},
      R"({"environment_mode":5})", nullptr, {{"sdk-compat", "5"}});
  env({"object without environment information", {"Environment"}, {"D-08"}, invalid()}, R"({"compose-hash":"x"})", nullptr);
  env({"not JSON", {"Environment"}, {"§3.8"}, invalid()}, "dev", nullptr);
  env({"JSON string \"dev\"", {"Environment"}, {"§3.8"}, invalid()}, "\"dev\"", nullptr);

  f.group("ComposeHash");
  auto ch = [&](const Case& c, const std::string& text, const std::string& expected) {
    f.add(c, {{"eventLog", text}, {"expected", expected}});
  };
  const std::string compose = "3b5f55eda6eaeb815ba66ab6995bedc1575fb3b690337d5ec9623cfa1adbc9f6";
  ch({"V8 compose hash", {"Ktv"}, {"V8", "§9.5"}}, log, compose);
  std::string upper = compose;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ch({"expected in upper case (exact comparison)", {"ComposeHash"}, {"N-HS-27"}, invalid()}, log, upper);
  ch({"different expected hash", {"ComposeHash"}, {"N-HS-27"}, invalid()}, log, std::string(64, '0'));
  ch({"object-shaped log", {"ComposeHash"}, {"N-HS-27", "§9.5"}, invalid()}, R"({"compose-hash":")" + compose + "\"}", compose);
  {
    auto none = tdx::mock_events();
    none.erase(none.begin() + 1);
    ch({"no compose-hash event", {"ComposeHash"}, {"N-HS-27"}, invalid()}, tdx::event_log_json(none), compose);
    auto two = tdx::mock_events();
    two.push_back(tdx::runtime_event("compose-hash", Bytes(32, 0)));
    ch({"second compose-hash event ignored (first wins)", {"ComposeHash"}, {"§9.5"}}, tdx::event_log_json(two), compose);
  }
  return f;
}

}  // namespace pnc::vectors
