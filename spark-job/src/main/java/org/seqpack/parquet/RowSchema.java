package org.seqpack.parquet;

import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/** The packed-row Parquet schema of docs/FORMAT.md and its leaf columns in schema order. */
final class RowSchema {
  static final String INPUT_IDS = "input_ids";
  static final String SEGMENT_IDS = "segment_ids";
  static final String POSITION_IDS = "position_ids";
  static final String LOSS_MASK = "loss_mask";
  static final String NUM_TOKENS = "num_tokens";
  static final String NUM_SEGMENTS = "num_segments";
  static final String SEQ_LENS = "seq_lens";

  /** Standard three-level LIST columns, so every Parquet reader sees plain int arrays. */
  static final MessageType SCHEMA =
      Types.buildMessage()
          .requiredList()
          .requiredElement(PrimitiveTypeName.INT32)
          .named(INPUT_IDS)
          .requiredList()
          .requiredElement(PrimitiveTypeName.INT32)
          .named(SEGMENT_IDS)
          .requiredList()
          .requiredElement(PrimitiveTypeName.INT32)
          .named(POSITION_IDS)
          .requiredList()
          .requiredElement(PrimitiveTypeName.INT32)
          .as(LogicalTypeAnnotation.intType(8, true))
          .named(LOSS_MASK)
          .required(PrimitiveTypeName.INT32)
          .named(NUM_TOKENS)
          .required(PrimitiveTypeName.INT32)
          .named(NUM_SEGMENTS)
          .named("packed_row");

  /** {@link #SCHEMA} and, last, the optional segment lengths ({@code --emit-seq-lens}). */
  static final MessageType SCHEMA_WITH_SEQ_LENS =
      Types.buildMessage()
          .addFields(SCHEMA.getFields().toArray(new org.apache.parquet.schema.Type[0]))
          .requiredList()
          .requiredElement(PrimitiveTypeName.INT32)
          .named(SEQ_LENS)
          .named("packed_row");

  // Leaf columns in schema order: the four list elements, then the two row-level ints.
  static final int INPUT_IDS_LEAF = 0;
  static final int SEGMENT_IDS_LEAF = 1;
  static final int POSITION_IDS_LEAF = 2;
  static final int LOSS_MASK_LEAF = 3;
  static final int NUM_TOKENS_LEAF = 4;
  static final int NUM_SEGMENTS_LEAF = 5;
  static final int SEQ_LENS_LEAF = 6;

  private RowSchema() {}

  static MessageType schema(boolean seqLens) {
    return seqLens ? SCHEMA_WITH_SEQ_LENS : SCHEMA;
  }

  static ColumnDescriptor leaf(int index) {
    return SCHEMA_WITH_SEQ_LENS.getColumns().get(index);
  }
}
