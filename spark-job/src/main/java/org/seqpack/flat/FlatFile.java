package org.seqpack.flat;

/**
 * One file a flat-format writer finished: its name, size, the tokens it holds, the documents that
 * start in it and, for Megatron, its sequences (0 for the index file and for llm.c shards).
 */
public record FlatFile(String name, long bytes, long tokens, long documents, long sequences) {}
