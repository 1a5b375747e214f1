#include "apps/attachsim/text.hpp"

#include <algorithm>

namespace attachsim::cli {

std::size_t columns(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string pad_right(const std::string& text, std::size_t width) {
  const std::size_t used = columns(text);
  return used >= width ? text : text + std::string(width - used, ' ');
}

std::string pad_left(const std::string& text, std::size_t width) {
  const std::size_t used = columns(text);
  return used >= width ? text : std::string(width - used, ' ') + text;
}

std::string wrapped(std::string_view text, const std::string& first, const std::string& rest,
                    std::size_t width) {
  std::string out;
  std::string line = first;
  bool empty = true;  // no word on `line` yet
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t space = text.find_first_of(" \n\t", start);
    const std::size_t end = space == std::string_view::npos ? text.size() : space;
    const std::string_view word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    if (!empty && columns(line) + 1 + columns(word) > width) {
      out.append(line).push_back('\n');
      line = rest;
      empty = true;
    }
    if (!empty) line.push_back(' ');
    line.append(word);
    empty = false;
  }
  if (!empty) out.append(line).push_back('\n');
  return out;
}

}  // namespace attachsim::cli
