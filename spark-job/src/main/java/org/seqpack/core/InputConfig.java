package org.seqpack.core;

import java.util.List;

/**
 * Where documents come from.
 *
 * @param rejectInvalidUtf8 reject records with invalid UTF-8 (or lone surrogates from JSON escapes)
 *     instead of replacing them by U+FFFD
 * @param skipCorruptFiles reject the unreadable rest of a corrupt file instead of failing
 * @param targetPartitionBytes small text and JSONL files are read together up to about this size
 */
public record InputConfig(
    List<String> paths,
    InputFormat format,
    String textField,
    int partitions,
    boolean rejectInvalidUtf8,
    boolean skipCorruptFiles,
    long targetPartitionBytes)
    implements java.io.Serializable {}
