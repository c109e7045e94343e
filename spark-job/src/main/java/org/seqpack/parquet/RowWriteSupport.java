package org.seqpack.parquet;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.seqpack.core.RowArrays;

/** Writes {@link RowArrays} as the packed-row Parquet schema (docs/FORMAT.md), no boxing. */
final class RowWriteSupport extends WriteSupport<RowArrays> {
  static final String INPUT_IDS = "input_ids";
  static final String SEGMENT_IDS = "segment_ids";
  static final String POSITION_IDS = "position_ids";
  static final String LOSS_MASK = "loss_mask";
  static final String NUM_TOKENS = "num_tokens";
  static final String NUM_SEGMENTS = "num_segments";

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

  private final Map<String, String> metadata;
  private RecordConsumer consumer;

  RowWriteSupport(Map<String, String> metadata) {
    this.metadata = metadata;
  }

  @Override
  public WriteContext init(Configuration configuration) {
    return new WriteContext(SCHEMA, metadata);
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.consumer = recordConsumer;
  }

  @Override
  public void write(RowArrays row) {
    consumer.startMessage();
    writeList(0, INPUT_IDS, row.inputIds());
    writeList(1, SEGMENT_IDS, row.segmentIds());
    writeList(2, POSITION_IDS, row.positionIds());
    writeList(3, LOSS_MASK, row.lossMask());
    writeInt(4, NUM_TOKENS, row.realTokens());
    writeInt(5, NUM_SEGMENTS, row.segments());
    consumer.endMessage();
  }

  private void writeInt(int index, String name, int value) {
    consumer.startField(name, index);
    consumer.addInteger(value);
    consumer.endField(name, index);
  }

  private void writeList(int index, String name, int[] values) {
    consumer.startField(name, index);
    consumer.startGroup();
    if (values.length > 0) {
      consumer.startField("list", 0);
      for (int value : values) {
        consumer.startGroup();
        consumer.startField("element", 0);
        consumer.addInteger(value);
        consumer.endField("element", 0);
        consumer.endGroup();
      }
      consumer.endField("list", 0);
    }
    consumer.endGroup();
    consumer.endField(name, index);
  }

  private void writeList(int index, String name, byte[] values) {
    consumer.startField(name, index);
    consumer.startGroup();
    if (values.length > 0) {
      consumer.startField("list", 0);
      for (byte value : values) {
        consumer.startGroup();
        consumer.startField("element", 0);
        consumer.addInteger(value);
        consumer.endField("element", 0);
        consumer.endGroup();
      }
      consumer.endField("list", 0);
    }
    consumer.endGroup();
    consumer.endField(name, index);
  }
}
