package org.seqpack.analyze;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.seqpack.core.Json;
import org.seqpack.core.SeqpackException;

/**
 * {@code report.html}: one self-contained page, the analysis JSON and ECharts' JavaScript inlined
 * (from the {@code org.webjars.npm:echarts} jar on the class path), so it opens from disk with no
 * network. Charts: tokens per word by language per tokenizer, bytes per token likewise, the
 * document length distribution with each L marked, rows and fill per L; with {@code --compression},
 * held-out bytes per token against vocabulary size with each analysed tokenizer marked; tables of
 * the same numbers.
 */
public final class ReportPage {
  /** ECharts inside its webjar. */
  public static final String ECHARTS_RESOURCE =
      "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

  private static final String ECHARTS_MARK = "/*ECHARTS*/";
  private static final String DATA_MARK = "/*DATA*/";

  private ReportPage() {}

  public static String render(ObjectNode analysis) {
    // Inside <script>, "</script" or "<!--" would change how the page parses; '<' occurs only in
    // JSON strings, where the escape \u003c reads back the same.
    String data = Json.compact(analysis).replace("<", "\\u003c");
    // Spliced at the markers' places in the template, never searched for in what is inserted.
    int library = TEMPLATE.indexOf(ECHARTS_MARK);
    int json = TEMPLATE.indexOf(DATA_MARK);
    return TEMPLATE.substring(0, library)
        + echarts()
        + TEMPLATE.substring(library + ECHARTS_MARK.length(), json)
        + data
        + TEMPLATE.substring(json + DATA_MARK.length());
  }

  /** The ECharts library's minified source, read from its webjar. */
  static String echarts() {
    try (InputStream in = ReportPage.class.getClassLoader().getResourceAsStream(ECHARTS_RESOURCE)) {
      if (in == null) {
        throw new SeqpackException(
            "cannot find " + ECHARTS_RESOURCE + " on the class path (org.webjars.npm:echarts)");
      }
      // "</script" cannot occur in it unescaped, or the page would break: check rather than trust.
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (source.contains("</script")) {
        throw new SeqpackException(ECHARTS_RESOURCE + " contains '</script'; cannot be inlined");
      }
      return source;
    } catch (IOException e) {
      throw new SeqpackException("cannot read " + ECHARTS_RESOURCE + ": " + e.getMessage(), e);
    }
  }

  private static final String TEMPLATE =
      """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <title>seqpack analyze</title>
      <style>
      body { font-family: sans-serif; margin: 1.5em; color: #222; }
      h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
      .chart { width: 100%; max-width: 1200px; height: 380px; }
      table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
      th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
      th:first-child, td:first-child { text-align: left; }
      #errors { color: #b00; white-space: pre-wrap; }
      </style>
      <script>
      window.reportErrors = [];
      window.addEventListener('error', function (e) {
        window.reportErrors.push(String(e.message));
        var box = document.getElementById('errors');
        if (box) { box.textContent = 'error: ' + window.reportErrors.join('; '); }
      });
      </script>
      <script>/*ECHARTS*/</script>
      <script id="analysis" type="application/json">/*DATA*/</script>
      </head>
      <body>
      <h1>seqpack analyze</h1>
      <div id="errors"></div>
      <p id="summary"></p>
      <h2>Tokens per word (fertility) by language</h2>
      <div id="fertility" class="chart"></div>
      <h2>Bytes per token by language</h2>
      <div id="bytes-per-token" class="chart"></div>
      <h2>Document length in tokens (each L marked)</h2>
      <div id="lengths" class="chart"></div>
      <h2>Rows and fill per L (best-fit decreasing, documents split at L)</h2>
      <div id="rows" class="chart"></div>
      <div id="compression-section" style="display: none">
      <h2>Held-out bytes per token against vocabulary size (train-tokenizer; each analysed tokenizer
      marked at its size and its bytes per token on this corpus)</h2>
      <div id="compression" class="chart"></div>
      <div id="compression-tables"></div>
      </div>
      <h2>Per language</h2>
      <div id="tables"></div>
      <h2>Per L</h2>
      <div id="lengths-tables"></div>
      <script>
      (function () {
        var data = JSON.parse(document.getElementById('analysis').textContent);
        var tokenizers = data.tokenizers;
        var names = tokenizers.map(function (t) { return t.name; });
        var languages = [];
        tokenizers.forEach(function (t) {
          t.languages.forEach(function (l) {
            if (languages.indexOf(l.language) < 0) { languages.push(l.language); }
          });
        });
        languages.sort();
        function byLanguage(t, field) {
          return languages.map(function (code) {
            var hit = t.languages.filter(function (l) { return l.language === code; })[0];
            return hit ? hit[field] : null;
          });
        }
        var d = data.documents;
        document.getElementById('summary').textContent =
          d.read + ' documents read, ' + d.analyzed + ' analysed, ' + d.rejected_total +
          ' rejected; reference language ' + data.settings.reference_language +
          '; language detector: ' + data.settings.language_detector + '.';
        var rendered = 0;
        function chart(id, option) {
          var c = echarts.init(document.getElementById(id));
          option.animation = false;
          c.setOption(option);
          rendered++;
        }
        function languageBars(id, field, name) {
          chart(id, {
            tooltip: { trigger: 'axis' },
            legend: { data: names },
            grid: { left: 60, right: 20, bottom: 40 },
            xAxis: { type: 'category', data: languages },
            yAxis: { type: 'value', name: name },
            series: tokenizers.map(function (t) {
              return { name: t.name, type: 'bar', data: byLanguage(t, field) };
            })
          });
        }
        languageBars('fertility', 'tokens_per_word', 'tokens / word');
        languageBars('bytes-per-token', 'bytes_per_token', 'bytes / token');
        var seqLens = data.settings.seq_lens;
        chart('lengths', {
          tooltip: { trigger: 'axis' },
          legend: { data: names },
          grid: { left: 60, right: 40, bottom: 40 },
          // Wide enough for every L mark, even where no document is that long.
          xAxis: { type: 'log', name: 'tokens', logBase: 2,
            max: 1.25 * Math.max.apply(null, seqLens.concat(tokenizers.map(function (t) {
              return t.lengths.max; }))) },
          yAxis: { type: 'value', name: 'documents' },
          series: tokenizers.map(function (t, i) {
            var s = {
              name: t.name, type: 'line', step: 'start', symbol: 'none',
              data: t.lengths.histogram.map(function (b) { return [b.from, b.documents]; })
            };
            if (i === 0) {
              s.markLine = {
                symbol: 'none', lineStyle: { type: 'dashed', color: '#888' },
                label: { formatter: 'L={c}' },
                data: seqLens.map(function (l) { return { xAxis: l }; })
              };
            }
            return s;
          })
        });
        var series = [];
        tokenizers.forEach(function (t) {
          series.push({ name: t.name + ' rows', type: 'bar',
            data: t.lengths.by_seq_len.map(function (e) { return e.split.rows; }) });
        });
        tokenizers.forEach(function (t) {
          series.push({ name: t.name + ' fill %', type: 'line', yAxisIndex: 1,
            data: t.lengths.by_seq_len.map(function (e) { return +(100 * e.split.fill).toFixed(2); }) });
        });
        chart('rows', {
          tooltip: { trigger: 'axis' },
          legend: { data: series.map(function (s) { return s.name; }) },
          grid: { left: 60, right: 60, bottom: 40, top: 70 },
          xAxis: { type: 'category', name: 'L', data: seqLens.map(String) },
          yAxis: [{ type: 'value', name: 'rows' }, { type: 'value', name: 'fill %', max: 100 }],
          series: series
        });
        // Only with curves: ECharts warns on a hidden, zero-sized container.
        var curves = data.compression_curves || [];
        if (curves.length > 0) {
          document.getElementById('compression-section').style.display = '';
          var sizes = [];
          var curveSeries = curves.map(function (c) {
            c.points.forEach(function (p) { sizes.push(p.vocab_size); });
            return { name: c.name, type: 'line', symbolSize: 7,
              data: c.points.map(function (p) { return [p.vocab_size, p.bytes_per_token]; }) };
          });
          tokenizers.forEach(function (t) {
            var bpt = t.total.bytes_per_token;
            sizes.push(t.vocabulary_size);
            curveSeries.push({ name: t.name + ' (this corpus)', type: 'scatter', symbol: 'diamond',
              symbolSize: 13, data: [[t.vocabulary_size, bpt]],
              label: { show: true, position: 'left', formatter: t.name },
              markLine: { symbol: 'none', silent: true, lineStyle: { type: 'dashed' },
                label: { position: 'insideEndTop', formatter: t.name + ' ' + bpt.toFixed(3) },
                data: [{ yAxis: bpt }] } });
          });
          chart('compression', {
            tooltip: { trigger: 'item', formatter: function (p) {
              return p.seriesName + ': ' + p.value[0] + ' tokens, ' +
                (+p.value[1]).toFixed(3) + ' bytes/token'; } },
            legend: { data: curveSeries.map(function (s) { return s.name; }) },
            grid: { left: 60, right: 40, bottom: 55, top: 70 },
            xAxis: { type: 'log', logBase: 2, name: 'vocabulary size', nameLocation: 'middle',
              nameGap: 30,
              min: 0.8 * Math.min.apply(null, sizes), max: 1.25 * Math.max.apply(null, sizes) },
            yAxis: { type: 'value', name: 'bytes / token', scale: true },
            series: curveSeries
          });
          var curveTables = document.getElementById('compression-tables');
          curves.forEach(function (c) {
            table(curveTables, c.name + ' (' + c.held_out_documents + ' documents held out)',
              ['vocabulary size', 'merges', 'bytes', 'tokens', 'bytes/token'],
              c.points.map(function (p) {
                return [p.vocab_size, p.merges, p.bytes, p.tokens, p.bytes_per_token];
              }));
          });
        }
        function cell(row, tag, text) {
          var c = document.createElement(tag); c.textContent = text; row.appendChild(c);
        }
        function table(parent, title, header, rows) {
          var h = document.createElement('h3'); h.textContent = title; parent.appendChild(h);
          var tbl = document.createElement('table');
          var tr = document.createElement('tr');
          header.forEach(function (x) { cell(tr, 'th', x); });
          tbl.appendChild(tr);
          rows.forEach(function (r) {
            var row = document.createElement('tr');
            r.forEach(function (x) { cell(row, 'td', x === null ? '' : String(x)); });
            tbl.appendChild(row);
          });
          parent.appendChild(tbl);
        }
        var tables = document.getElementById('tables');
        tokenizers.forEach(function (t) {
          table(tables, t.name,
            ['language', 'documents', 'bytes', 'words', 'tokens', 'bytes/token', 'tokens/word',
             'premium', 'vocabulary share', 'docs with UNK', 'docs with byte fallback'],
            t.languages.map(function (l) {
              return [l.language, l.documents, l.bytes, l.words, l.tokens, l.bytes_per_token,
                l.tokens_per_word, l.premium, l.vocabulary_share, l.documents_with_unknown,
                l.documents_with_byte_fallback];
            }));
        });
        var lengthTables = document.getElementById('lengths-tables');
        tokenizers.forEach(function (t) {
          table(lengthTables, t.name,
            ['L', 'documents over L', 'rows (split)', 'lower bound', 'fill (split)',
             'rows (truncate)', 'tokens lost (truncate)', 'targets lost (split)',
             'attention, masked / causal'],
            t.lengths.by_seq_len.map(function (e) {
              return [e.seq_len, e.documents_over, e.split.rows, e.split.lower_bound,
                e.split.fill, e.truncate.rows, e.truncate.tokens_lost, e.split.targets_lost,
                e.split.attention.masked_share];
            }));
        });
        document.body.setAttribute('data-charts-rendered', String(rendered));
      })();
      </script>
      </body>
      </html>
      """;
}
