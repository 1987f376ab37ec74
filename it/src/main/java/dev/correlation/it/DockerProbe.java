package dev.correlation.it;

/** Answers whether a Docker engine is usable; a seam so that selection can be tested without one. */
@FunctionalInterface
public interface DockerProbe {
  /** True when containers can be started. */
  boolean dockerAvailable();

  /**
   * Testcontainers' own check (a {@code docker} client on the PATH is not an engine). Asked once
   * per JVM; any failure counts as "no Docker".
   */
  static DockerProbe testcontainers() {
    return TestcontainersProbe.INSTANCE;
  }
}

final class TestcontainersProbe implements DockerProbe {
  static final TestcontainersProbe INSTANCE = new TestcontainersProbe();
  private volatile Boolean answer;

  @Override
  public boolean dockerAvailable() {
    Boolean known = answer;
    if (known == null) {
      synchronized (this) {
        known = answer;
        if (known == null) {
          known = ask();
          answer = known;
        }
      }
    }
    return known;
  }

  private static boolean ask() {
    try {
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable e) { // NoClassDefFoundError included: no Testcontainers means no Docker
      return false;
    }
  }
}
