// The config loader (sim/config/loader.cpp): includes merged underneath the including file, in order and
// relative to it; provenance kept per node, so later errors name the included file and line; missing
// includes, cycles, syntax errors and empty files as located input errors. Files are served from memory
// through the loader's FileReader hook (and once from disk). Expected positions are read off the texts.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "sim/config/diagnostics.hpp"
#include "sim/config/loader.hpp"
#include "sim/config/table_reader.hpp"
#include "sim/core/errors.hpp"
#include "tests/unit/input_error.hpp"
#include "tests/unit/temp_dir.hpp"

namespace {

using mmsim::InputError;
using mmsim::config::ConfigDocument;
using mmsim::config::load_config;
using mmsim::config::load_config_text;

using Files = std::map<std::string, std::string>;

mmsim::config::FileReader memory(const Files& files) {
  return [&files](const std::filesystem::path& p) -> std::optional<std::string> {
    const auto it = files.find(p.lexically_normal().string());
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
}

using mmsim::test::input_error_of;

std::string origin(const toml::node_view<const toml::node>& v) {
  const toml::node* n = v.node();
  if (n == nullptr) return "(absent)";
  return mmsim::config::source_file(n->source()) + ":" + std::to_string(n->source().begin.line);
}

const Files kMerged = {
    {"cfg/main.toml", "include = [\"parts/a.toml\", \"parts/b.toml\"]\nname = \"main\"\n[t]\nx = 3\n"},
    {"cfg/parts/a.toml",
     "schema_version = 1\ninclude = [\"common.toml\"]\nname = \"a\"\n[t]\nx = 1\ny = 1\nlist = [1, 2]\n"},
    {"cfg/parts/common.toml", "schema_version = 1\n[t]\nz = 9\nlist = [0]\n"},
    {"cfg/parts/b.toml", "schema_version = 1\n[t]\ny = 2\nlist = [5]\n"},
};

}  // namespace

TEST_CASE("loader: includes merge underneath the including file, in order", "[config]") {
  const ConfigDocument doc = load_config("cfg/main.toml", memory(kMerged));
  const toml::table& root = doc.root;
  CHECK(doc.main_file == "cfg/main.toml");
  CHECK_FALSE(root.contains("include"));
  CHECK(root["name"].value<std::string>() == "main");  // the including file wins
  CHECK(root["t"]["x"].value<std::int64_t>() == 3);
  CHECK(root["t"]["y"].value<std::int64_t>() == 2);  // a later include wins over an earlier one
  CHECK(root["t"]["z"].value<std::int64_t>() == 9);  // an include's include, relative to that include
  const toml::array* list = root["t"]["list"].as_array();
  REQUIRE(list != nullptr);
  REQUIRE(list->size() == 1);  // an array is replaced, not merged
  CHECK((*list)[0].value<std::int64_t>() == 5);

  // Every value keeps the file and line it came from.
  CHECK(origin(root["name"]) == "cfg/main.toml:2");
  CHECK(origin(root["t"]["x"]) == "cfg/main.toml:4");
  CHECK(origin(root["t"]["y"]) == "cfg/parts/b.toml:3");
  CHECK(origin(root["t"]["z"]) == "cfg/parts/common.toml:3");

  // ... so a reader's error about a merged value points into the included file.
  mmsim::config::Diagnostics diag;
  mmsim::config::TableReader t(*root["t"].as_table(), "t", diag);
  t.error("y", "inconsistent with x");
  CHECK(diag.format() == "cfg/parts/b.toml:3:5: error: t.y: inconsistent with x\n");

  // The resolved text (stored in every output file) reads back as the same table.
  CHECK(toml::parse(doc.resolved_text()) == root);
}

TEST_CASE("loader: one file included twice is not a cycle", "[config]") {
  const Files files = {
      {"main.toml", "include = [\"a.toml\", \"b.toml\"]\n"},
      {"a.toml", "schema_version = 1\ninclude = [\"common.toml\"]\na = 1\n"},
      {"b.toml", "schema_version = 1\ninclude = [\"common.toml\"]\nb = 1\n"},
      {"common.toml", "schema_version = 1\nc = 1\n"},
  };
  const ConfigDocument doc = load_config("main.toml", memory(files));
  CHECK(doc.root.size() == 4);  // a, b, c and schema_version
}

TEST_CASE("loader: a missing include names the file and where it was included", "[config]") {
  const Files files = {
      {"cfg/main.toml", "x = 1\ninclude = [\"gone.toml\", \"sub/also_gone.toml\"]\n"},
  };
  CHECK(input_error_of([&] { load_config("cfg/main.toml", memory(files)); }) ==
        "cfg/main.toml:2:12: error: include[0]: included file not found: cfg/gone.toml\n"
        "cfg/main.toml:2:25: error: include[1]: included file not found: cfg/sub/also_gone.toml");
  CHECK(input_error_of([&] { load_config("cfg/none.toml", memory(files)); }) ==
        "cfg/none.toml: error: config file not found");
}

TEST_CASE("loader: an include cycle names the chain, at the include that closes it", "[config]") {
  const Files files = {
      {"cfg/main.toml", "include = [\"a.toml\"]\n"},
      {"cfg/a.toml", "x = 1\ninclude = [\"deeper/b.toml\"]\nschema_version = 1\n"},
      {"cfg/deeper/b.toml", "include = [\"../main.toml\"]\nschema_version = 1\n"},
      {"cfg/self.toml", "include = [\"./self.toml\"]\nx = 1\n"},
  };
  CHECK(input_error_of([&] { load_config("cfg/main.toml", memory(files)); }) ==
        "cfg/deeper/b.toml:1:12: error: include[0]: include cycle: cfg/main.toml -> cfg/a.toml -> "
        "cfg/deeper/b.toml -> cfg/main.toml");
  CHECK(input_error_of([&] { load_config("cfg/self.toml", memory(files)); }) ==
        "cfg/self.toml:1:12: error: include[0]: include cycle: cfg/self.toml -> cfg/self.toml");
}

TEST_CASE("loader: a syntax error is located in the file that has it", "[config]") {
  const Files files = {
      {"main.toml", "include = [\"bad.toml\"]\n"},
      {"bad.toml", "a = 1\nb = = 2\n"},
  };
  const std::string m = input_error_of([&] { load_config("main.toml", memory(files)); });
  INFO(m);
  CHECK(m.rfind("bad.toml:2:", 0) == 0);
  CHECK(m.find("error: TOML syntax error: ") != std::string::npos);
}

TEST_CASE("loader: include must be an array of file path strings", "[config]") {
  CHECK(input_error_of([] { load_config_text("include = \"a.toml\"\nx = 1\n", "m.toml", memory({})); }) ==
        "m.toml:1:11: error: include: expected an array of relative file paths");
  CHECK(input_error_of([] { load_config_text("include = [1]\nx = 1\n", "m.toml", memory({})); }) ==
        "m.toml:1:12: error: include[0]: expected a file path string");
}

TEST_CASE("loader: an empty config is an error", "[config]") {
  CHECK(input_error_of([] { load_config_text("", "m.toml", memory({})); }) ==
        "m.toml: error: the config file is empty");
  CHECK(input_error_of([] { load_config_text(" \n\t\n", "m.toml", memory({})); }) ==
        "m.toml: error: the config file is empty");
  CHECK(input_error_of([] { load_config_text("# only a comment\ninclude = []\n", "m.toml", memory({})); }) ==
        "m.toml: error: the config file is empty (it sets nothing)");
}

TEST_CASE("loader: files on disk, relative to the including file", "[config]") {
  const mmsim::test::TempDir dir("mmsim_loader_");
  std::filesystem::create_directories(dir.path / "sub");
  std::ofstream(dir.path / "main.toml") << "include = [\"sub/part.toml\"]\n[t]\nx = 1\n";
  std::ofstream(dir.path / "sub" / "part.toml") << "schema_version = 1\n[t]\ny = 2\n";
  const ConfigDocument doc = load_config(dir.path / "main.toml");
  CHECK(doc.root["t"]["x"].value<std::int64_t>() == 1);
  CHECK(doc.root["t"]["y"].value<std::int64_t>() == 2);
  CHECK(mmsim::config::read_file_text(dir.path / "sub") == std::nullopt);  // a directory is not a file
  CHECK(mmsim::config::read_file_text(dir.path / "none.toml") == std::nullopt);
  CHECK(input_error_of([&] { load_config(dir.path / "sub"); }).find("is a directory") != std::string::npos);
}

namespace {

// Sets MMSIM_MODELS_DIR for one test and restores what it was.
class ModelsDirectory {
 public:
  explicit ModelsDirectory(const std::string& value) {
    if (const char* old = std::getenv("MMSIM_MODELS_DIR")) old_ = old;
    ::setenv("MMSIM_MODELS_DIR", value.c_str(), 1);
  }
  ~ModelsDirectory() {
    if (old_) {
      ::setenv("MMSIM_MODELS_DIR", old_->c_str(), 1);
    } else {
      ::unsetenv("MMSIM_MODELS_DIR");
    }
  }
  ModelsDirectory(const ModelsDirectory&) = delete;
  ModelsDirectory& operator=(const ModelsDirectory&) = delete;

 private:
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("loader: mmsim:<name> includes <models>/<name>.toml from MMSIM_MODELS_DIR, from any directory",
          "[config]") {
  const mmsim::test::TempDir models("mmsim_models_");
  const mmsim::test::TempDir elsewhere("mmsim_scenario_");
  std::filesystem::create_directories(models.path / "toy" / "params");
  std::ofstream(models.path / "toy" / "default.toml")
      << "schema_version = 1\ninclude = [\"params/a.toml\"]\n[t]\nx = 1\n";
  std::ofstream(models.path / "toy" / "params" / "a.toml") << "schema_version = 1\n[t]\ny = 2\n";
  std::ofstream(elsewhere.path / "main.toml") << "include = [\"mmsim:toy/default\"]\n[t]\nz = 3\n";
  const ModelsDirectory env(models.path.string());
  const ConfigDocument doc = load_config(elsewhere.path / "main.toml");
  CHECK(doc.root["t"]["x"].value<std::int64_t>() == 1);
  CHECK(doc.root["t"]["y"].value<std::int64_t>() == 2);  // its own includes, relative to it
  CHECK(doc.root["t"]["z"].value<std::int64_t>() == 3);
  CHECK(doc.warnings.empty());
  REQUIRE(doc.files.size() == 3);
  CHECK(doc.files[2] == (models.path / "toy" / "params" / "a.toml").string());
  CHECK(mmsim::config::shipped_models_folder().from_environment);
}

TEST_CASE("loader: an unknown or malformed mmsim: name is an error at its include, listing what is shipped",
          "[config]") {
  const mmsim::test::TempDir models("mmsim_models_");
  std::filesystem::create_directories(models.path / "toy");
  std::ofstream(models.path / "toy" / "default.toml") << "schema_version = 1\n";
  const ModelsDirectory env(models.path.string());
  const Files files = {{"s/main.toml", "model = \"x\"\ninclude = [\"mmsim:toy/nope\"]\n"},
                       {"s/bad.toml", "model = \"x\"\ninclude = [\n  \"mmsim:../toy/default\"]\n"}};
  const std::string missing = input_error_of([&] { load_config("s/main.toml", memory(files)); });
  CHECK(missing.find("s/main.toml:2:12: error: include[0]: no shipped file mmsim:toy/nope") !=
        std::string::npos);
  CHECK(missing.find("shipped: toy/default") != std::string::npos);
  const std::string bad = input_error_of([&] { load_config("s/bad.toml", memory(files)); });
  CHECK(bad.find("s/bad.toml:3:3: error: include[0]: \"mmsim:../toy/default\" is not a shipped file name") !=
        std::string::npos);
}

TEST_CASE("loader: without the files on disk, mmsim: reads the compiled-in copy through the reader, warning",
          "[config]") {
  const mmsim::test::TempDir empty("mmsim_models_");
  const ModelsDirectory env(empty.path.string());
  const std::string embedded = std::string(mmsim::config::kEmbeddedRoot) + "/models/toy/default.toml";
  const Files files = {{"s/main.toml", "include = [\"mmsim:toy/default\"]\n[t]\nz = 3\n"},
                       {embedded, "schema_version = 1\n[t]\nx = 1\n"}};
  const ConfigDocument doc = load_config("s/main.toml", memory(files));
  CHECK(doc.root["t"]["x"].value<std::int64_t>() == 1);
  REQUIRE(doc.warnings.size() == 1);
  CHECK(doc.warnings[0].find(
            "s/main.toml:1:12: warning: mmsim:toy/default: the shipped model files are not at") !=
        std::string::npos);
  CHECK(doc.warnings[0].find("as they were when it was built") != std::string::npos);
}
