// Plain text for the terminal: widths in columns of UTF-8 text, padding and word wrapping, shared
// by the commands that print tables and prose (inspect, parameters, the run summary).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace attachsim::cli {

// The width of terminal output, in columns.
inline constexpr std::size_t kTerminalWidth = 100;

// Terminal columns of UTF-8 text (code points: "±" is one column, two bytes).
std::size_t columns(std::string_view text);

// `text` padded with spaces on the right (left) to `width` columns; longer text is unchanged.
std::string pad_right(const std::string& text, std::size_t width);
std::string pad_left(const std::string& text, std::size_t width);

// `text` word-wrapped to `width` columns, each line ending in a newline: the first line starts
// with `first`, the others with `rest`. A word longer than a line is not broken. Empty text gives
// an empty string.
std::string wrapped(std::string_view text, const std::string& first, const std::string& rest,
                    std::size_t width = kTerminalWidth);

}  // namespace attachsim::cli
