// What a certificate must let a reader check later: SHA-256 digests of the inputs that shaped a
// run (SUT description, expectations, requirements.json, the vector files) and of the catalogue
// itself, as a canonical dump of every case's data.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.hpp"
#include "core/engine.hpp"
#include "pnc/result.hpp"

namespace pnc::conf {

std::string sha256_hex(std::string_view bytes);

// The file's SHA-256, reported under `display_name`.
Result<InputFile> hash_file(const std::string& path, std::string display_name);

// An optional input (a --sut or --expectations path, "" when not given): its digest under its
// file name; nullopt when not given or unreadable.
std::optional<InputFile> digest_of(const std::string& path);

// The vector files the catalogues read (PROTOCOL-vectors.json, testvectors_v1/*.json), by name
// relative to `vectors_dir`, sorted; files that do not exist are left out.
std::vector<InputFile> vector_file_digests(const std::string& vectors_dir);

// The catalogue as canonical JSON (catalogue order; per case: id, title, mechanism, profiles,
// the expected behaviour in each profile, needs, exclusive): its SHA-256 changes whenever a
// case is added, removed or changes what it expects.
std::string catalogue_dump(const std::vector<Case>& cases);

}  // namespace pnc::conf
