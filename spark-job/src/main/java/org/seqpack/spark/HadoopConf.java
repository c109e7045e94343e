package org.seqpack.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/** A Hadoop configuration that travels to executors inside a task closure. */
final class HadoopConf implements Serializable {
  private static final long serialVersionUID = 1L;
  private transient Configuration conf;

  HadoopConf(Configuration conf) {
    this.conf = conf;
  }

  Configuration get() {
    return conf;
  }

  /**
   * The Hadoop configuration a SparkContext would build from {@code sparkConf}: the defaults plus
   * every {@code spark.hadoop.*} entry. Lets the driver check paths before Spark starts.
   */
  static Configuration fromSparkConf(SparkConf sparkConf) {
    Configuration conf = new Configuration();
    for (Tuple2<String, String> entry : sparkConf.getAll()) {
      if (entry._1().startsWith("spark.hadoop.")) {
        conf.set(entry._1().substring("spark.hadoop.".length()), entry._2());
      }
    }
    return conf;
  }

  static Configuration copyOf(Configuration conf, Map<String, String> overrides) {
    Configuration copy = new Configuration(conf);
    overrides.forEach(copy::set);
    return copy;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    conf.write(out);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    conf = new Configuration(false);
    conf.readFields(in);
  }
}
