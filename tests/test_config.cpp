#include <gtest/gtest.h>

#include "sim/config.hpp"
#include "sim/errors.hpp"

namespace attachsim::sim {
namespace {

// Runs `f`, expects an InputError, and returns its message.
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError thrown";
  return {};
}

TEST(ConfigTable, ReadsValuesAndDefaults) {
  const toml::table doc = load_toml_text("a = 1\nb = 2.5\nc = \"x\"\nd = true\n", "t.toml");
  ConfigTable t(&doc, "", "t.toml");
  EXPECT_EQ(t.number("a", 0, 0, 10, "u"), 1.0);  // integers are numbers too
  EXPECT_EQ(t.number("b", 0, 0, 10, "u"), 2.5);
  EXPECT_EQ(t.string("c", ""), "x");
  EXPECT_TRUE(t.boolean("d", false));
  EXPECT_EQ(t.integer("missing", 7, 0, 10, "u"), 7);
  EXPECT_NO_THROW(t.reject_unknown());
}

TEST(ConfigTable, ErrorsNameFileLineKeyAndAllowedValues) {
  const toml::table doc = load_toml_text("[p]\nx = 1.5\ny = \"no\"\nz = 2.0\n", "f.toml");
  ConfigTable root(&doc, "", "f.toml");
  ConfigTable p = root.table("p");
  const std::string range = error_of([&] { p.number("x", 0, 0, 1, "probability"); });
  EXPECT_NE(range.find("f.toml:2:5"), std::string::npos) << range;
  EXPECT_NE(range.find("'p.x'"), std::string::npos) << range;
  EXPECT_NE(range.find("allowed: 0 to 1 (probability)"), std::string::npos) << range;
  const std::string type = error_of([&] { p.number("y", 0, 0, 1, "u"); });
  EXPECT_NE(type.find("f.toml:3:5"), std::string::npos) << type;
  EXPECT_NE(type.find("must be a number, got a string"), std::string::npos) << type;
  const std::string integer = error_of([&] { p.integer("z", 0, 0, 5, "count"); });
  EXPECT_NE(integer.find("must be an integer, got a float"), std::string::npos) << integer;
}

TEST(ConfigTable, UnknownKeyListsAllowedKeys) {
  const toml::table doc = load_toml_text("alpha = 1\nbta = 2\n", "k.toml");
  ConfigTable t(&doc, "", "k.toml");
  t.number("alpha", 0, 0, 5, "u");
  t.number("beta", 0, 0, 5, "u");
  const std::string msg = error_of([&] { t.reject_unknown(); });
  EXPECT_NE(msg.find("k.toml:2:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown key 'bta'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("allowed keys here: alpha, beta"), std::string::npos) << msg;
}

TEST(Config, MalformedTomlGivesLineAndColumn) {
  const std::string msg = error_of([] { load_toml_text("a = 1\n[b\n", "bad.toml"); });
  EXPECT_NE(msg.find("bad.toml:2:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("malformed TOML"), std::string::npos) << msg;
}

TEST(Config, MissingFileIsAnInputError) {
  const std::string msg = error_of([] { load_toml_file("/nonexistent/x.toml"); });
  EXPECT_NE(msg.find("cannot open scenario file '/nonexistent/x.toml'"), std::string::npos);
}

TEST(Override, SetsNestedValuesCreatesTablesAndKeepsOrigin) {
  toml::table doc = load_toml_text("[a]\nb = 1\n", "o.toml");
  apply_override(doc, "a.b=2.5");
  apply_override(doc, "c.d.e={ mean = 0.5, sd = 0.1 }");
  apply_override(doc, "a.name=community");  // not TOML: taken as a bare string
  EXPECT_EQ(doc["a"]["b"].value<double>(), 2.5);
  EXPECT_EQ(doc["c"]["d"]["e"]["sd"].value<double>(), 0.1);
  EXPECT_EQ(doc["a"]["name"].value<std::string>(), "community");
  EXPECT_EQ(where(*doc["a"]["b"].node(), "?"), "--set a.b=2.5");
}

TEST(Override, SelectsArrayElementsByName) {
  toml::table doc = load_toml_text("[[arm]]\nname = \"x\"\n[[arm]]\nname = \"y\"\n", "o.toml");
  apply_override(doc, "arm.y.population.rebuff=0.3");
  EXPECT_FALSE(doc["arm"][0]["population"]);
  EXPECT_EQ(doc["arm"][1]["population"]["rebuff"].value<double>(), 0.3);
  const std::string msg = error_of([&] { apply_override(doc, "arm.z.population.rebuff=0.3"); });
  EXPECT_NE(msg.find("no element of 'arm' is named 'z'; names there: x, y"), std::string::npos)
      << msg;
}

// `*` selects every element (issue 13: an explicit way to set a key in every arm); an element
// without the array named next (an arm without interventions) is left alone.
TEST(Override, StarSelectsEveryElement) {
  toml::table doc = load_toml_text(
      "[[arm]]\nname = \"x\"\n[[arm.intervention]]\nat_months = 6\n"
      "[[arm]]\nname = \"y\"\n",
      "o.toml");
  apply_override(doc, "arm.*.population.rebuff=0.3");
  EXPECT_EQ(doc["arm"][0]["population"]["rebuff"].value<double>(), 0.3);
  EXPECT_EQ(doc["arm"][1]["population"]["rebuff"].value<double>(), 0.3);
  apply_override(doc, "arm.*.intervention.*.rebuff=0.2");
  EXPECT_EQ(doc["arm"][0]["intervention"][0]["rebuff"].value<double>(), 0.2);
  EXPECT_FALSE(doc["arm"][1]["intervention"]);
}

// Which arms keep their own value when an override sets a key at the top level: those with the
// key's full path, or a scalar at a prefix of it; not those that set another key or a sub-key
// the override does not touch, and none when the override is aimed at arms.
TEST(Override, ShadowingElementsAreTheArmsWithTheirOwnValue) {
  toml::table doc = load_toml_text(
      "[[arm]]\nname = \"own\"\npopulation.responsiveness = { mean = 0.3, sd = 0.05 }\n"
      "[[arm]]\nname = \"scalar\"\npopulation.responsiveness = 0.3\n"
      "[[arm]]\nname = \"sd-only\"\npopulation.responsiveness = { sd = 0.1 }\n"
      "[[arm]]\nname = \"other\"\npopulation.rebuff = 0.3\n"
      "[[arm]]\nname = \"bare\"\n",
      "o.toml");
  EXPECT_EQ(shadowing_elements(doc, " population.responsiveness.mean = 0.5", "arm"),
            (std::vector<std::string>{"own", "scalar"}));
  EXPECT_EQ(shadowing_elements(doc, "population.responsiveness={ mean = 0.5 }", "arm"),
            (std::vector<std::string>{"own", "scalar", "sd-only"}));
  EXPECT_TRUE(shadowing_elements(doc, "arm.*.population.responsiveness.mean=0.5", "arm").empty());
  EXPECT_TRUE(shadowing_elements(doc, "scenario.dyads=5", "arm").empty());
}

// Spaces around '=' are allowed; a typo in a key is named with its origin and the near miss.
TEST(Override, SpacesAroundTheKeyAndValueAndTyposSuggested) {
  toml::table doc = load_toml_text("[population]\nrebuff = 0.1\n", "o.toml");
  apply_override(doc, " population.rebuff = 0.3 ");
  EXPECT_EQ(doc["population"]["rebuff"].value<double>(), 0.3);
  apply_override(doc, "population.responsivness.mean=0.4");
  ConfigTable p(doc["population"].as_table(), "population.", "o.toml");
  p.number("rebuff", 0, 0, 1, "u");
  p.number("responsiveness", 0, 0, 1, "u");
  const std::string msg = error_of([&] { p.reject_unknown(); });
  EXPECT_NE(msg.find("--set population.responsivness.mean=0.4"), std::string::npos) << msg;
  EXPECT_NE(msg.find("did you mean 'population.responsiveness'?"), std::string::npos) << msg;
  // Nothing near: no suggestion, only the allowed keys.
  toml::table other = load_toml_text("zzzzzz = 1\n", "z.toml");
  ConfigTable z(&other, "", "z.toml");
  z.number("alpha", 0, 0, 5, "u");
  const std::string far = error_of([&] { z.reject_unknown(); });
  EXPECT_EQ(far.find("did you mean"), std::string::npos) << far;
}

TEST(Override, MalformedAssignments) {
  toml::table doc;
  EXPECT_NE(error_of([&] { apply_override(doc, "novalue"); }).find("expected key=value"),
            std::string::npos);
  EXPECT_NE(error_of([&] { apply_override(doc, "a..b=1"); }).find("empty segment"),
            std::string::npos);
  EXPECT_NE(error_of([&] { apply_override(doc, "a.b= "); }).find("expected key=value"),
            std::string::npos);
}

TEST(TomlText, NumbersRoundTrip) {
  for (const double v : {0.1, 1.0 / 3.0, 12.0, 1e-7, 2.5e10}) {
    const toml::table t = toml::parse("v = " + toml_number(v));
    EXPECT_EQ(t["v"].value<double>(), v);
  }
  const toml::table s = toml::parse("s = " + toml_quote("a \"q\" \\ \n b"));
  EXPECT_EQ(s["s"].value<std::string>(), "a \"q\" \\ \n b");
}

}  // namespace
}  // namespace attachsim::sim
