// DCAP collateral as data (tdx_dcap.hpp): the collateral JSON object, Intel's TCB info and QE
// identity documents, TCB status names and the status policy. Reading only; no judgement here.
#include <ctime>
#include <iomanip>
#include <limits>
#include <sstream>

#include "pnc/codec.hpp"
#include "pnc/json.hpp"
#include "pnc/tdx_dcap.hpp"

namespace pnc::tdx::dcap {
namespace {

using json::Json;

constexpr std::pair<TcbStatus, std::string_view> kStatusNames[] = {
    {TcbStatus::UpToDate, "UpToDate"},
    {TcbStatus::SWHardeningNeeded, "SWHardeningNeeded"},
    {TcbStatus::ConfigurationNeeded, "ConfigurationNeeded"},
    {TcbStatus::ConfigurationAndSWHardeningNeeded, "ConfigurationAndSWHardeningNeeded"},
    {TcbStatus::OutOfDate, "OutOfDate"},
    {TcbStatus::OutOfDateConfigurationNeeded, "OutOfDateConfigurationNeeded"},
    {TcbStatus::Revoked, "Revoked"},
};

// Typed member access for one document; every failure carries the document's code.
class Reader {
 public:
  Reader(const char* code, std::string what) : code_(code), what_(std::move(what)) {}

  Error error(const std::string& message) const { return make_error(code_, what_ + ": " + message); }

  Result<const Json*> member(const Json& obj, const char* name, Json::value_t type) const {
    if (!obj.is_object()) return error("not an object");
    const auto it = obj.find(name);
    if (it == obj.end()) return error(std::string("missing \"") + name + "\"");
    const bool number = type == Json::value_t::number_unsigned;
    if (number ? !it->is_number_unsigned() : it->type() != type)
      return error(std::string("\"") + name + "\" has the wrong type");
    return &*it;
  }
  Result<std::string> string(const Json& obj, const char* name) const {
    auto m = member(obj, name, Json::value_t::string);
    if (!m) return m.error();
    return (*m)->get<std::string>();
  }
  Result<std::uint64_t> number(const Json& obj, const char* name, std::uint64_t max) const {
    auto m = member(obj, name, Json::value_t::number_unsigned);
    if (!m) return m.error();
    const auto v = (*m)->get<std::uint64_t>();
    if (v > max) return error(std::string("\"") + name + "\" out of range");
    return v;
  }
  Result<Bytes> hex(const Json& obj, const char* name, std::size_t length) const {
    auto s = string(obj, name);
    if (!s) return s.error();
    auto b = codec::hex_decode_exact(*s, length);
    if (!b) return error(std::string("\"") + name + "\": " + b.error().message);
    return *b;
  }
  Result<std::int64_t> time(const Json& obj, const char* name) const {
    auto s = string(obj, name);
    if (!s) return s.error();
    auto t = parse_utc_time(*s);
    if (!t) return error(std::string("\"") + name + "\": " + t.error().message);
    return *t;
  }
  // The members every Intel collateral document starts with.
  Status header(const Json& d, std::string& id, int& version, std::int64_t& issue_date,
                std::int64_t& next_update) const {
    auto i = string(d, "id");
    if (!i) return i.error();
    auto v = number(d, "version", 100);
    if (!v) return v.error();
    auto issue = time(d, "issueDate");
    if (!issue) return issue.error();
    auto next = time(d, "nextUpdate");
    if (!next) return next.error();
    id = *i;
    version = static_cast<int>(*v);
    issue_date = *issue;
    next_update = *next;
    return {};
  }
  Result<TcbStatus> status(const Json& level) const {
    auto s = string(level, "tcbStatus");
    if (!s) return s.error();
    auto st = tcb_status_from_string(*s);
    if (!st) return error("unknown tcbStatus \"" + *s + "\"");
    return *st;
  }
  Result<std::vector<std::string>> advisories(const Json& level) const {
    std::vector<std::string> ids;
    if (!level.contains("advisoryIDs")) return ids;
    auto m = member(level, "advisoryIDs", Json::value_t::array);
    if (!m) return m.error();
    for (const auto& id : **m) {
      if (!id.is_string()) return error("advisoryIDs holds a non-string");
      ids.push_back(id.get<std::string>());
    }
    return ids;
  }
  // {"tcb":{"isvsvn":N},"tcbStatus":...,"advisoryIDs":[...]} levels of a QE / TDX module identity.
  Result<std::vector<ModuleTcbLevel>> isvsvn_levels(const Json& obj, std::uint64_t max_svn) const {
    auto arr = member(obj, "tcbLevels", Json::value_t::array);
    if (!arr) return arr.error();
    std::vector<ModuleTcbLevel> levels;
    for (const auto& level : **arr) {
      auto tcb = member(level, "tcb", Json::value_t::object);
      if (!tcb) return tcb.error();
      auto svn = number(**tcb, "isvsvn", max_svn);
      if (!svn) return svn.error();
      auto st = status(level);
      if (!st) return st.error();
      auto adv = advisories(level);
      if (!adv) return adv.error();
      levels.push_back(ModuleTcbLevel{static_cast<std::uint16_t>(*svn), *st, std::move(*adv)});
    }
    if (levels.empty()) return error("no tcbLevels");
    return levels;
  }
  // 16 {"svn":N,...} components.
  Result<std::array<std::uint8_t, 16>> components(const Json& tcb, const char* name) const {
    auto arr = member(tcb, name, Json::value_t::array);
    if (!arr) return arr.error();
    if ((*arr)->size() != 16) return error(std::string("\"") + name + "\" does not hold 16 components");
    std::array<std::uint8_t, 16> out{};
    for (std::size_t i = 0; i < 16; ++i) {
      auto svn = number((**arr)[i], "svn", 255);
      if (!svn) return svn.error();
      out[i] = static_cast<std::uint8_t>(*svn);
    }
    return out;
  }

 private:
  const char* code_;
  std::string what_;
};

Result<TdxModuleIdentity> module_identity(const Reader& r, const Json& obj, bool with_levels) {
  TdxModuleIdentity m;
  if (with_levels) {
    auto id = r.string(obj, "id");
    if (!id) return id.error();
    m.id = *id;
  }
  auto signer = r.hex(obj, "mrsigner", 48);
  if (!signer) return signer.error();
  auto attrs = r.hex(obj, "attributes", 8);
  if (!attrs) return attrs.error();
  auto mask = r.hex(obj, "attributesMask", 8);
  if (!mask) return mask.error();
  m.mrsigner = *signer;
  m.attributes = *attrs;
  m.attributes_mask = *mask;
  if (with_levels) {
    auto levels = r.isvsvn_levels(obj, 255);
    if (!levels) return levels.error();
    m.tcb_levels = std::move(*levels);
  }
  return m;
}

}  // namespace

std::string_view to_string(TcbStatus s) {
  for (const auto& [status, name] : kStatusNames)
    if (status == s) return name;
  return "?";
}

std::optional<TcbStatus> tcb_status_from_string(std::string_view name) {
  for (const auto& [status, n] : kStatusNames)
    if (n == name) return status;
  return std::nullopt;
}

TcbPolicy TcbPolicy::any() {
  TcbPolicy p;
  for (const auto& [status, name] : kStatusNames) p.accepted.insert(status);
  return p;
}

TcbPolicy TcbPolicy::protocol() {
  TcbPolicy p;
  p.accepted = {TcbStatus::UpToDate, TcbStatus::SWHardeningNeeded, TcbStatus::ConfigurationNeeded};
  return p;
}

Result<TcbPolicy> parse_policy(std::string_view text) {
  if (text == "any") return TcbPolicy::any();
  TcbPolicy p;
  p.accepted.clear();
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view name = text.substr(0, comma);
    auto status = tcb_status_from_string(name);
    if (!status) return make_error(kConfig, "unknown TCB status \"" + std::string(name) + "\" (Intel's names, or any)");
    p.accepted.insert(*status);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return p;
}

Result<std::int64_t> parse_utc_time(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS, optional .fraction, then Z.
  std::string s(text);
  if (s.size() < 20 || s.back() != 'Z') return make_error(kCollateralFormat, "not an RFC 3339 UTC time: " + s);
  std::tm tm{};
  std::istringstream in(s.substr(0, 19));
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail() || in.peek() != std::char_traits<char>::eof() || s[4] != '-' || s[10] != 'T')
    return make_error(kCollateralFormat, "not an RFC 3339 UTC time: " + s);
  const std::string rest = s.substr(19, s.size() - 20);
  if (!rest.empty() && (rest[0] != '.' || rest.size() < 2 ||
                        rest.find_first_not_of("0123456789", 1) != std::string::npos))
    return make_error(kCollateralFormat, "not an RFC 3339 UTC time: " + s);
  return static_cast<std::int64_t>(timegm(&tm));
}

Result<Collateral> parse_collateral(std::string_view json_text) {
  auto doc = json::parse_object(json_text);
  if (!doc) return make_error(kCollateralFormat, "collateral: " + doc.error().message);
  const Reader r(kCollateralFormat, "collateral");
  Collateral c;
  const std::pair<const char*, std::string*> texts[] = {
      {"pck_crl_issuer_chain", &c.pck_crl_issuer_chain}, {"tcb_info_issuer_chain", &c.tcb_info_issuer_chain},
      {"tcb_info", &c.tcb_info},                         {"qe_identity_issuer_chain", &c.qe_identity_issuer_chain},
      {"qe_identity", &c.qe_identity}};
  for (const auto& [name, field] : texts) {
    auto s = r.string(*doc, name);
    if (!s) return s.error();
    *field = std::move(*s);
  }
  const std::pair<const char*, Bytes*> blobs[] = {{"root_ca_crl", &c.root_ca_crl},
                                                  {"pck_crl", &c.pck_crl},
                                                  {"tcb_info_signature", &c.tcb_info_signature},
                                                  {"qe_identity_signature", &c.qe_identity_signature}};
  for (const auto& [name, field] : blobs) {
    auto s = r.string(*doc, name);
    if (!s) return s.error();
    auto b = codec::hex_decode(*s);
    if (!b) return r.error(std::string("\"") + name + "\" is not hex: " + b.error().message);
    *field = std::move(*b);
  }
  for (const Bytes* sig : {&c.tcb_info_signature, &c.qe_identity_signature})
    if (sig->size() != 64) return r.error("a signature is not 64 bytes (r || s)");
  return c;
}

Result<TcbInfo> parse_tcb_info(std::string_view json_text) {
  auto doc = json::parse_object(json_text);
  if (!doc) return make_error(kTcbInfoFormat, "tcb_info: " + doc.error().message);
  const Reader r(kTcbInfoFormat, "tcb_info");
  const Json& d = *doc;
  TcbInfo info;
  if (auto h = r.header(d, info.id, info.version, info.issue_date, info.next_update); !h) return h.error();
  auto fmspc = r.hex(d, "fmspc", 6);
  if (!fmspc) return fmspc.error();
  auto pce = r.hex(d, "pceId", 2);
  if (!pce) return pce.error();
  info.fmspc = *fmspc;
  info.pce_id = *pce;
  if (d.contains("tdxModule")) {
    auto m = module_identity(r, d["tdxModule"], false);
    if (!m) return m.error();
    info.tdx_module = std::move(*m);
  }
  if (d.contains("tdxModuleIdentities")) {
    auto arr = r.member(d, "tdxModuleIdentities", Json::value_t::array);
    if (!arr) return arr.error();
    for (const auto& obj : **arr) {
      auto m = module_identity(r, obj, true);
      if (!m) return m.error();
      info.tdx_module_identities.push_back(std::move(*m));
    }
  }
  auto levels = r.member(d, "tcbLevels", Json::value_t::array);
  if (!levels) return levels.error();
  const bool tdx = info.id == "TDX";
  for (const auto& level : **levels) {
    auto tcb = r.member(level, "tcb", Json::value_t::object);
    if (!tcb) return tcb.error();
    TcbLevel l;
    auto sgx = r.components(**tcb, "sgxtcbcomponents");
    if (!sgx) return sgx.error();
    l.sgx_components = *sgx;
    auto pcesvn = r.number(**tcb, "pcesvn", 65535);
    if (!pcesvn) return pcesvn.error();
    l.pce_svn = static_cast<std::uint16_t>(*pcesvn);
    if (tdx) {
      auto comps = r.components(**tcb, "tdxtcbcomponents");
      if (!comps) return comps.error();
      l.tdx_components = *comps;
    }
    auto st = r.status(level);
    if (!st) return st.error();
    l.status = *st;
    auto adv = r.advisories(level);
    if (!adv) return adv.error();
    l.advisory_ids = std::move(*adv);
    info.tcb_levels.push_back(std::move(l));
  }
  if (info.tcb_levels.empty()) return r.error("no tcbLevels");
  return info;
}

Result<QeIdentity> parse_qe_identity(std::string_view json_text) {
  auto doc = json::parse_object(json_text);
  if (!doc) return make_error(kQeIdentityFormat, "qe_identity: " + doc.error().message);
  const Reader r(kQeIdentityFormat, "qe_identity");
  const Json& d = *doc;
  QeIdentity q;
  if (auto h = r.header(d, q.id, q.version, q.issue_date, q.next_update); !h) return h.error();
  auto misc = r.hex(d, "miscselect", 4);
  if (!misc) return misc.error();
  auto misc_mask = r.hex(d, "miscselectMask", 4);
  if (!misc_mask) return misc_mask.error();
  // Intel writes MISCSELECT big-endian in hex; the QE report holds it little-endian.
  auto be32 = [](const Bytes& b) {
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
  };
  q.miscselect = be32(*misc);
  q.miscselect_mask = be32(*misc_mask);
  auto attrs = r.hex(d, "attributes", 16);
  if (!attrs) return attrs.error();
  auto attrs_mask = r.hex(d, "attributesMask", 16);
  if (!attrs_mask) return attrs_mask.error();
  auto signer = r.hex(d, "mrsigner", 32);
  if (!signer) return signer.error();
  auto prod = r.number(d, "isvprodid", 65535);
  if (!prod) return prod.error();
  q.attributes = *attrs;
  q.attributes_mask = *attrs_mask;
  q.mrsigner = *signer;
  q.isv_prod_id = static_cast<std::uint16_t>(*prod);
  auto levels = r.isvsvn_levels(d, 65535);
  if (!levels) return levels.error();
  q.tcb_levels = std::move(*levels);
  return q;
}

}  // namespace pnc::tdx::dcap
