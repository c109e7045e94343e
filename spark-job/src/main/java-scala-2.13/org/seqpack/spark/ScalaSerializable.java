package org.seqpack.spark;

/**
 * Serializable as Scala checks it: in 2.13 {@code scala.Serializable} is {@code
 * java.io.Serializable}. The 2.12 twin extends {@code scala.Serializable}, a trait of its own there.
 */
interface ScalaSerializable extends java.io.Serializable {}
