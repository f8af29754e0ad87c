#include "cli/man_page.h"

#include <cctype>
#include <cstdio>
#include <memory>
#include <sstream>
#include <vector>

namespace slowscope {
namespace {

// The code point of the UTF-8 sequence at `text[*i]`, advancing *i past it; a byte that
// does not start a valid sequence stands for itself (U+FFFD would hide what it was).
uint32_t next_code_point(std::string_view text, size_t* i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(*i);
  size_t length = lead < 0x80           ? 1
                  : (lead >> 5) == 0x6  ? 2
                  : (lead >> 4) == 0xE  ? 3
                  : (lead >> 3) == 0x1E ? 4
                                        : 0;
  if (length <= 1 || *i + length > text.size()) {
    ++*i;
    return lead;
  }
  uint32_t code = lead & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((byte(*i + k) >> 6) != 0x2) {
      ++*i;
      return lead;
    }
    code = (code << 6) | (byte(*i + k) & 0x3F);
  }
  *i += length;
  return code;
}

// The formatter --help uses, for the same option and usage texts.
std::shared_ptr<CLI::Formatter> help_formatter(const CLI::App& app) {
  auto formatter = std::dynamic_pointer_cast<CLI::Formatter>(app.get_formatter());
  return formatter ? formatter : std::make_shared<CLI::Formatter>();
}

// "slowscope release add": the command's words from the top.
std::string command_path(const CLI::App& command) {
  std::string path;
  for (const CLI::App* app = &command; app->get_parent() != nullptr; app = app->get_parent()) {
    path = " " + app->get_name() + path;
  }
  return "slowscope" + path;
}

std::vector<const CLI::App*> visible_subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) {
    return !sub->get_disabled() && !sub->get_name().empty() && !sub->get_group().empty();
  });
}

// Every command below `app`, depth first in the order they were added.
void collect_commands(const CLI::App& app, std::vector<const CLI::App*>* out) {
  for (const CLI::App* sub : visible_subcommands(app)) {
    out->push_back(sub);
    collect_commands(*sub, out);
  }
}

// "Usage: slowscope digest [OPTIONS] files..." without its label.
std::string usage_line(const CLI::Formatter& formatter, const CLI::App& command) {
  std::string usage = formatter.make_usage(&command, command_path(command));
  if (const size_t colon = usage.find(": "); colon != std::string::npos) usage.erase(0, colon + 2);
  while (!usage.empty() && usage.back() == '\n') usage.pop_back();
  return usage;
}

void write_option(std::ostringstream& out, const CLI::Formatter& formatter, const CLI::Option& opt,
                  bool positional) {
  out << ".TP\n"
      << "\\fB" << roff_escape(formatter.make_option_name(&opt, positional)) << "\\fR"
      << roff_escape(formatter.make_option_opts(&opt)) << "\n"
      << roff_escape(formatter.make_option_desc(&opt)) << "\n";
}

// Positionals, then each group of options, as --help lists them; a subcommand's -h,--help
// is left out (every command has it).
void write_options(std::ostringstream& out, const CLI::Formatter& formatter,
                   const CLI::App& command) {
  const bool top = command.get_parent() == nullptr;
  const auto positionals = command.get_options(
      [](const CLI::Option* opt) { return !opt->get_group().empty() && opt->get_positional(); });
  if (!positionals.empty()) {
    out << ".PP\n\\fI" << roff_escape(formatter.get_label("Positionals")) << ":\\fR\n";
    for (const CLI::Option* opt : positionals) write_option(out, formatter, *opt, true);
  }
  for (const std::string& group : command.get_groups()) {
    if (group.empty()) continue;
    const auto options = command.get_options([&](const CLI::Option* opt) {
      return opt->get_group() == group && opt->nonpositional() &&
             (top || opt != command.get_help_ptr());
    });
    if (options.empty()) continue;
    out << ".PP\n\\fI" << roff_escape(group) << ":\\fR\n";
    for (const CLI::Option* opt : options) write_option(out, formatter, *opt, false);
  }
}

// The footer's lines: indented ones (examples, continued lists) kept as they are, the
// others filled as prose, a sentence that starts a line starting one here too;
// "Exit status" opens a paragraph of its own.
void write_footer(std::ostringstream& out, std::string_view footer) {
  bool verbatim = false;
  bool paragraph_open = false;
  std::string_view previous;
  size_t start = 0;
  while (start <= footer.size()) {
    size_t end = footer.find('\n', start);
    if (end == std::string_view::npos) end = footer.size();
    const std::string_view line = footer.substr(start, end - start);
    start = end + 1;
    if (line.empty()) {
      if (verbatim) out << ".fi\n";
      verbatim = false;
      paragraph_open = false;
      continue;
    }
    const bool indented = line[0] == ' ' || line[0] == '\t';
    if (indented) {
      if (!verbatim) out << (paragraph_open ? "" : ".PP\n") << ".nf\n";
      verbatim = true;
    } else if (verbatim) {
      out << ".fi\n.PP\n";
      verbatim = false;
    } else if (!paragraph_open || line.starts_with("Exit status")) {
      out << ".PP\n";
    } else if (previous.ends_with('.') && std::isupper(static_cast<unsigned char>(line[0]))) {
      out << ".br\n";
    }
    paragraph_open = true;
    previous = line;
    out << roff_escape(line) << "\n";
  }
  if (verbatim) out << ".fi\n";
}

void write_command(std::ostringstream& out, const CLI::Formatter& formatter,
                   const CLI::App& command) {
  out << ".SS \"" << roff_escape(command_path(command)) << "\"\n"
      << roff_escape(command.get_description()) << "\n"
      << ".PP\n.nf\n"
      << roff_escape(usage_line(formatter, command)) << "\n"
      << ".fi\n";
  write_options(out, formatter, command);
  const auto subcommands = visible_subcommands(command);
  if (!subcommands.empty()) {
    out << ".PP\n\\fISubcommands:\\fR\n";
    for (const CLI::App* sub : subcommands) {
      out << ".TP\n\\fB" << roff_escape(sub->get_name()) << "\\fR\n"
          << roff_escape(sub->get_description()) << "\n";
    }
  }
  write_footer(out, command.get_footer());
}

}  // namespace

std::string roff_escape(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    line_start = c == '\n';
    if (static_cast<unsigned char>(c) >= 0x80) {
      // Named by code point: groff reads the page without knowing its encoding.
      char name[16];
      std::snprintf(name, sizeof name, "\\[u%04X]", next_code_point(text, &i));
      out += name;
      continue;
    }
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    ++i;
  }
  return out;
}

std::string render_man_page(const CLI::App& app, std::string_view version) {
  const std::shared_ptr<CLI::Formatter> formatter = help_formatter(app);
  std::vector<const CLI::App*> commands;
  collect_commands(app, &commands);

  std::string summary = app.get_description();
  if (summary.starts_with("slowscope: ")) summary.erase(0, 11);

  std::ostringstream out;
  out << ".\\\" Generated by `slowscope --man-page` from the command-line parser; do not edit.\n"
      << ".TH SLOWSCOPE 1 \"\" \"" << roff_escape(version)
      << "\" \"User Commands\"\n"
      // Left-aligned, no hyphenation: option names and paths stay whole.
      << ".ad l\n.nh\n"
      << ".SH NAME\nslowscope \\- " << roff_escape(summary) << "\n"
      << ".SH SYNOPSIS\n.nf\n";
  for (const CLI::App* command : commands) {
    out << roff_escape(usage_line(*formatter, *command)) << "\n";
  }
  out << ".fi\n.SH DESCRIPTION\n" << roff_escape(app.get_description()) << "\n";
  write_options(out, *formatter, app);
  write_footer(out, app.get_footer());
  out << ".SH COMMANDS\n";
  for (const CLI::App* command : commands) write_command(out, *formatter, *command);
  out << ".SH \"EXIT STATUS\"\n"
      << "Each command's exit status ends its section under COMMANDS, as it ends the "
         "command's \\fB\\-\\-help\\fR.\n";
  return out.str();
}

}  // namespace slowscope
