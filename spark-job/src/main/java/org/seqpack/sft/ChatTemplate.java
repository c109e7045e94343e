package org.seqpack.sft;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.objects.date.StrftimeFormatter;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import jinjava.javax.el.CompositeELResolver;
import org.seqpack.core.SeqpackException;
import org.seqpack.tokenizer.TokenizerConfig;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * A Hugging Face chat template rendered with Jinjava the way transformers renders it: {@code
 * trim_blocks} and {@code lstrip_blocks} on, one trailing newline of the source dropped, the
 * globals {@code messages}, {@code add_generation_prompt}, {@code bos_token}, {@code eos_token},
 * {@code raise_exception}, {@code strftime_now}, Python's {@code tojson}, {@code trim} and string
 * methods, and {@code {% generation %}} blocks rendered as their content. Thread-safe.
 */
public final class ChatTemplate {
  private final String source;
  private final Map<String, Object> globals;
  private final Jinjava jinjava;
  private final Node root;

  private ChatTemplate(String source, Map<String, Object> globals) {
    this.source = source;
    this.globals = Collections.unmodifiableMap(new LinkedHashMap<>(globals));
    this.jinjava = newJinjava();
    // Parsed once; each rendering gets its own interpreter and context.
    JinjavaInterpreter parser = jinjava.newInterpreter();
    JinjavaInterpreter.pushCurrent(parser);
    try {
      this.root = parser.parse(JinjaSourceRewriter.rewrite(source));
      fail(parser.getErrorsCopy());
    } finally {
      JinjavaInterpreter.popCurrent();
    }
  }

  /**
   * A template from its Jinja source.
   *
   * @param source the Jinja text
   * @param bosToken the value of {@code bos_token} (empty when the tokenizer has none)
   * @param eosToken the value of {@code eos_token} (empty when the tokenizer has none)
   * @param variables further template variables, e.g. {@code enable_thinking} or {@code
   *     date_string}; may not redefine the ones above
   */
  public static ChatTemplate of(
      String source, String bosToken, String eosToken, Map<String, Object> variables) {
    Objects.requireNonNull(source, "source");
    Map<String, Object> globals = new LinkedHashMap<>();
    for (Map.Entry<String, Object> variable : variables.entrySet()) {
      if (List.of("messages", "add_generation_prompt", "bos_token", "eos_token")
          .contains(variable.getKey())) {
        throw new SeqpackException(
            "template variable '" + variable.getKey() + "' is set by the job; must not be given");
      }
      globals.put(variable.getKey(), variable.getValue());
    }
    globals.put("bos_token", bosToken == null ? "" : bosToken);
    globals.put("eos_token", eosToken == null ? "" : eosToken);
    return new ChatTemplate(source, globals);
  }

  /** A template from its source with the tokenizer's {@code bos_token} and {@code eos_token}. */
  public static ChatTemplate of(
      String source, TokenizerConfig config, Map<String, Object> variables) {
    return of(source, config.bosToken().orElse(""), config.eosToken().orElse(""), variables);
  }

  /** The {@code chat_template} of the tokenizer's {@code tokenizer_config.json}. */
  public static ChatTemplate fromTokenizer(TokenizerSpec spec, Map<String, Object> variables) {
    String source =
        spec.config()
            .chatTemplate()
            .orElseThrow(
                () ->
                    new SeqpackException(
                        "tokenizer_config.json has no 'chat_template'; give a template file"));
    return of(source, spec.config(), variables);
  }

  /** A template file (Jinja text) used with the tokenizer's special tokens. */
  public static ChatTemplate fromFile(
      Path file, TokenizerConfig config, Map<String, Object> variables) {
    try {
      return of(Files.readString(file, StandardCharsets.UTF_8), config, variables);
    } catch (IOException e) {
      throw new SeqpackException("chat template file '" + file + "' cannot be read: " + e, e);
    }
  }

  /** The Jinja source as given. */
  public String source() {
    return source;
  }

  /** Renders {@code messages}; throws {@link ChatTemplateException} on any template error. */
  public String render(List<Message> messages, boolean addGenerationPrompt) {
    List<Map<String, Object>> list = new ArrayList<>(messages.size());
    for (Message message : messages) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("role", message.role());
      map.put("content", message.content());
      list.add(map);
    }
    Map<String, Object> bindings = new HashMap<>(globals);
    bindings.put("messages", list);
    bindings.put("add_generation_prompt", addGenerationPrompt);
    JinjavaInterpreter interpreter =
        new JinjavaInterpreter(
            jinjava,
            new Context(
                jinjava.getGlobalContext(), bindings, jinjava.getGlobalConfig().getDisabled()),
            jinjava.getGlobalConfig());
    JinjavaInterpreter.pushCurrent(interpreter);
    try {
      String output = interpreter.render(root);
      fail(interpreter.getErrorsCopy());
      return output;
    } catch (ChatTemplateException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ChatTemplateException("chat template failed: " + e.getMessage(), e);
    } finally {
      JinjavaInterpreter.popCurrent();
    }
  }

  private static void fail(List<TemplateError> errors) {
    for (TemplateError error : errors) {
      if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
        throw new ChatTemplateException(describe(error));
      }
    }
  }

  private static String describe(TemplateError error) {
    Throwable cause = error.getException();
    while (cause != null) {
      if (cause instanceof RaisedException) {
        return "chat template raised: " + cause.getMessage();
      }
      cause = cause.getCause();
    }
    String message = error.getMessage();
    int raised = message == null ? -1 : message.indexOf(RaisedException.PREFIX);
    if (raised >= 0) {
      return "chat template raised: " + message.substring(raised + RaisedException.PREFIX.length());
    }
    return "chat template error at line " + error.getLineno() + ": " + message;
  }

  private static Jinjava newJinjava() {
    CompositeELResolver resolver = new CompositeELResolver();
    resolver.add(new PythonStrings.Resolver());
    resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
    JinjavaConfig config =
        JinjavaConfig.newBuilder()
            .withTrimBlocks(true)
            .withLstripBlocks(false)
            .withKeepTrailingNewline(true)
            .withElResolver(resolver)
            .withLegacyOverrides(
                LegacyOverrides.newBuilder()
                    .withUseTrimmingForNotesAndExpressions(true)
                    .withUseNaturalOperatorPrecedence(true)
                    .withParseWhitespaceControlStrictly(true)
                    .withEvaluateMapKeys(true)
                    .withIterateOverMapKeys(true)
                    .withUsePyishObjectMapper(true)
                    .withKeepNullableLoopValues(true)
                    .withHandleBackslashInQuotesOnly(true)
                    .build())
            .build();
    Jinjava jinjava = new Jinjava(config);
    jinjava.getGlobalContext().registerFilter(new TrimFilter());
    jinjava.getGlobalContext().registerFilter(new ToJsonFilter());
    jinjava.getGlobalContext().registerFilter(new ReverseFilter());
    jinjava.getGlobalContext().registerTag(new GenerationTag());
    registerFunction(jinjava, "raise_exception", "raiseException");
    registerFunction(jinjava, "strftime_now", "strftimeNow");
    return jinjava;
  }

  // A global function of the template: a public static method of this class taking one string.
  private static void registerFunction(Jinjava jinjava, String name, String method) {
    try {
      jinjava
          .getGlobalContext()
          .registerFunction(
              new ELFunctionDefinition(
                  "", name, ChatTemplate.class.getMethod(method, String.class)));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code raise_exception(message)}: the template rejects the conversation. */
  public static String raiseException(String message) {
    throw new RaisedException(message);
  }

  /** {@code strftime_now(format)}: the current local time in Python strftime format. */
  public static String strftimeNow(String format) {
    return StrftimeFormatter.format(ZonedDateTime.now(), format, Locale.US);
  }

  private static final class RaisedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final String PREFIX = "raise_exception: ";

    RaisedException(String message) {
      super(PREFIX + message);
    }

    @Override
    public String getMessage() {
      return super.getMessage().substring(PREFIX.length());
    }
  }

  /** Python's {@code str.strip()}: Java's trim keeps no-break and ideographic spaces. */
  private static final class TrimFilter implements Filter {
    @Override
    public String getName() {
      return "trim";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
      String chars = args.length > 0 ? args[0] : null;
      return PythonStrings.strip(var == null ? "" : var.toString(), chars, true, true);
    }
  }

  /**
   * transformers' {@code tojson}: json.dumps with ensure_ascii=False, indent, separators,
   * sort_keys.
   */
  private static final class ToJsonFilter implements Filter {
    @Override
    public String getName() {
      return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
      return filter(var, interpreter, args, Map.of());
    }

    @Override
    public Object filter(
        Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
      Object indent = kwargs.getOrDefault("indent", args.length > 0 ? args[0] : null);
      Object separators = kwargs.get("separators");
      return new PythonJson(
              indent == null ? null : ((Number) indent).intValue(),
              separators instanceof List ? (List<?>) separators : null,
              Boolean.TRUE.equals(kwargs.get("sort_keys")),
              Boolean.TRUE.equals(kwargs.get("ensure_ascii")))
          .write(var);
    }
  }

  /** {@code reverse} as a list (Python's reversed slice), or a reversed string. */
  private static final class ReverseFilter implements Filter {
    @Override
    public String getName() {
      return "reverse";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
      if (var instanceof CharSequence) {
        return new StringBuilder((CharSequence) var).reverse().toString();
      }
      List<Object> items = new ArrayList<>();
      if (var instanceof Collection) {
        items.addAll((Collection<?>) var);
      } else if (var instanceof Object[]) {
        items.addAll(List.of((Object[]) var));
      }
      Collections.reverse(items);
      return items;
    }
  }

  /** TRL's {@code {% generation %}} marks assistant text; here it renders its content as is. */
  private static final class GenerationTag implements Tag {
    private static final long serialVersionUID = 1L;

    @Override
    public String getName() {
      return "generation";
    }

    @Override
    public String getEndTagName() {
      return "endgeneration";
    }

    @Override
    public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
      StringBuilder out = new StringBuilder();
      for (Node child : tagNode.getChildren()) {
        out.append(child.render(interpreter).getValue());
      }
      return out.toString();
    }
  }
}
