package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunReportTest {

  @Test
  void statsJsonKeepsItsLayout() {
    PackStats stats = new PackStats();
    stats.documentsRead = 12;
    stats.documentsPacked = 10;
    stats.reject("empty");
    stats.reject("empty");
    stats.tokens = 9973;
    stats.rows = 2;
    stats.segments = 7;
    stats.rowTokens = 9973;
    stats.rowCapacity = 10000;
    stats.targetTokens = 9966;
    stats.readNanos = 1_500_000_000L;
    Map<String, Object> tokenizer = new LinkedHashMap<>();
    tokenizer.put("path", "/models/<tok>");
    tokenizer.put("pad_id", 0);
    tokenizer.put("special_tokens_in_text", false);
    Map<String, String> config = new LinkedHashMap<>();
    config.put("pack.seq-len", "5000");
    config.put("tokenizer.eos-token", "<|endoftext|>");
    RunReport report =
        new RunReport(
            stats,
            5000,
            OutputFormat.PARQUET,
            tokenizer,
            config,
            Map.of("seqpack", "dev"),
            2,
            List.of(OutputFile.rows("part-00000.parquet", 4096, 2)),
            new RunReport.RejectedOutput("_rejected", 1),
            List.of("a & b", "c"),
            new RunReport.RunInfo("0123456789ab", "rename", 0),
            3.25);

    // As the Gson writer printed this report.
    assertEquals(
        """
        {
          "format": "packed-rows/1",
          "documents": {
            "read": 12,
            "packed": 10,
            "rejected_total": 2,
            "rejected": {
              "empty": 2
            },
            "rejected_fraction": 0.16666666666666666,
            "with_invalid_utf8": 0,
            "with_lone_surrogates": 0,
            "with_special_strings": 0,
            "split": 0,
            "truncated": 0,
            "dropped": 0
          },
          "rejected_records": {
            "folder": "_rejected",
            "files": 1,
            "records": 0
          },
          "tokens": 9973,
          "tokens_lost": 0,
          "tokenized_in_pieces": {
            "texts": 0,
            "cuts_inside_words": 0
          },
          "chunks_from_splitting": 0,
          "seq_len": 5000,
          "rows": 2,
          "min_rows": 2,
          "segments": 7,
          "mean_segments_per_row": 3.5,
          "row_tokens": 9973,
          "target_tokens": 9966,
          "fill": 0.9973,
          "padding_fraction": 0.0027000000000000357,
          "tokenizer": {
            "path": "/models/<tok>",
            "pad_id": 0,
            "special_tokens_in_text": "false"
          },
          "config": {
            "pack.seq-len": "5000",
            "tokenizer.eos-token": "<|endoftext|>"
          },
          "versions": {
            "seqpack": "dev"
          },
          "partitions": 2,
          "files": [
            {
              "name": "part-00000.parquet",
              "rows": 2,
              "bytes": 4096
            }
          ],
          "output_bytes": 4096,
          "bytes_per_token": 0.41070891406798354,
          "task_seconds": {
            "read": 1.5,
            "tokenize": 0.0,
            "pack": 0.0,
            "layout": 0.0,
            "write": 0.0
          },
          "run": {
            "id": "0123456789ab",
            "commit": "rename",
            "resumed_partitions": 0
          },
          "wall_seconds": 3.25,
          "warnings": [
            "a & b",
            "c"
          ]
        }
        """,
        report.toJson());
  }
}
