package org.seqpack.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Python-Jinja source in, the Jinjava source {@link ChatTemplate} parses out. */
class JinjaSourceRewriterTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // source, rewritten
        // One trailing newline is dropped (keep_trailing_newline=False), not two.
        Arguments.of("Hi\n", "Hi"),
        Arguments.of("Hi\n\n", "Hi\n"),
        Arguments.of("Hi", "Hi"),
        // lstrip_blocks: spaces and tabs from a line's start to a block or comment tag.
        Arguments.of("a\n  {% if x %}b{% endif %}", "a\n{% if x %}b{% endif %}"),
        Arguments.of("\t {# note #}\nb", "{# note #}\nb"),
        // ... but not before an expression, after text, or before {%+ (lstrip disabled).
        Arguments.of("  {{ x }}", "  {{ x }}"),
        Arguments.of("a  {% if x %}", "a  {% if x %}"),
        Arguments.of("  {%+ if x %}", "  {%+ if x %}"),
        // The reversed slice becomes the reverse filter.
        Arguments.of("{{ messages[::-1] }}", "{{ messages|reverse }}"),
        Arguments.of("{% for m in messages[ : : -1 ] %}", "{% for m in messages|reverse %}"),
        // Keyword-argument values in parentheses, so a filter stays inside the argument.
        Arguments.of(
            "{% set ns = namespace(i=messages|length - 1) %}",
            "{% set ns = namespace(i=(messages|length - 1)) %}"),
        Arguments.of(
            "{{ f(a=x|length - 1, b=g(c=1)) }} {{ 'k=v(' }} {% if a == b %}",
            "{{ f(a=(x|length - 1), b=(g(c=(1)))) }} {{ 'k=v(' }} {% if a == b %}"),
        Arguments.of("{{ x|tojson(indent=2) }}", "{{ x|tojson(indent=(2)) }}"),
        // Comparisons, macro and call tags, text outside tags and an unclosed tag stay as they are.
        Arguments.of("{% if f(a <= 1, b != 2, c >= 3) %}", "{% if f(a <= 1, b != 2, c >= 3) %}"),
        Arguments.of("{% macro m(a=1) %}{% endmacro %}", "{% macro m(a=1) %}{% endmacro %}"),
        Arguments.of("{%- call m(a=1) %}", "{%- call m(a=1) %}"),
        Arguments.of("f(a=1) {{ 'x' }}", "f(a=1) {{ 'x' }}"),
        Arguments.of("{{ f(a=1)", "{{ f(a=1)"));
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("cases")
  void rewritesPythonJinjaForJinjava(String source, String rewritten) {
    assertEquals(rewritten, JinjaSourceRewriter.rewrite(source));
  }
}
