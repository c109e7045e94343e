package org.seqpack.spark;

/**
 * Serializable as Scala 2.12 checks it ({@code isInstanceOf[Serializable]} means {@code
 * scala.Serializable} there), e.g. for a partition coalescer. The 2.13 twin is java.io's.
 */
interface ScalaSerializable extends scala.Serializable {}
