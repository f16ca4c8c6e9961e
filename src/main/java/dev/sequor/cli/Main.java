package dev.sequor.cli;

import jdk.incubator.vector.FloatVector;

public final class Main {
  public static void main(String[] args) {
    System.out.println("sequor " + String.join(" ", args) + " lanes=" + FloatVector.SPECIES_PREFERRED.length());
  }
}
