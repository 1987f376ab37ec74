package dev.correlation.it.rabbitmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Apache Qpid Broker-J, an AMQP 0-9-1 broker written in Java, running in this JVM with an in-memory
 * store on a random port of 127.0.0.1, user guest/guest.
 *
 * <p>Its jars are loaded by a class loader of their own from {@code target/qpid-broker} (copied
 * there by the build; another directory can be named with {@code -Dcorrelation.it.qpid.dir}), so
 * that Qpid's Jackson, Guava and Bouncy Castle never meet the versions Kafka, ElasticMQ and the AWS
 * SDK bring. Only SLF4J is shared, so that Qpid logs through the test's Logback. Qpid is driven by
 * reflection through its public model interfaces.
 */
final class QpidBroker implements AutoCloseable {
  static final String DIRECTORY_PROPERTY = "correlation.it.qpid.dir";
  private static final String HANDLER_PACKAGES = "java.protocol.handler.pkgs";
  /**
   * One AMQP 0-9-1 port on a random port of 127.0.0.1, user guest/guest, one in-memory virtual
   * host, "default", which clients also reach by asking for no particular one.
   */
  private static final String CONFIG = """
      {
        "name": "correlation-it",
        "modelVersion": "9.0",
        "authenticationproviders": [{
          "name": "plain", "type": "Plain", "secureOnlyMechanisms": [],
          "users": [{"name": "guest", "password": "guest", "type": "managed"}]
        }],
        "ports": [{
          "name": "AMQP", "port": "0", "bindingAddress": "127.0.0.1",
          "protocols": ["AMQP_0_9_1"], "authenticationProvider": "plain",
          "virtualhostaliases": [
            {"name": "defaultAlias", "type": "defaultAlias"},
            {"name": "nameAlias", "type": "nameAlias"}
          ]
        }],
        "virtualhostnodes": [{
          "name": "default", "type": "Memory", "defaultVirtualHostNode": "true",
          "virtualHostInitialConfiguration": "{\\"type\\": \\"Memory\\"}"
        }]
      }
      """;

  private final URLClassLoader loader;
  private final Object launcher;
  private final Object broker;
  private final Path workDir;
  private final int port;
  private volatile boolean closed;

  private QpidBroker(URLClassLoader loader, Object launcher, Object broker, Path workDir)
      throws ReflectiveOperationException {
    this.loader = loader;
    this.launcher = launcher;
    this.broker = broker;
    this.workDir = workDir;
    this.port = amqpPort(broker);
  }

  /** Starts a broker; stop it with {@link #close()} (a shutdown hook does it otherwise). */
  static QpidBroker start() {
    Path jars = Path.of(System.getProperty(DIRECTORY_PROPERTY, "target/qpid-broker"));
    URLClassLoader loader = new IsolatedLoader(jarUrls(jars));
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    Path workDir = null;
    // Loading SystemLauncher registers Qpid's URL handler package in this JVM-wide property; the
    // handler is unreachable from the system class loader anyway, so the JVM is left as found.
    String handlers = System.getProperty(HANDLER_PACKAGES);
    try {
      workDir = Files.createTempDirectory("qpid-broker-");
      thread.setContextClassLoader(loader);
      AtomicReference<Object> systemConfig = new AtomicReference<>();
      Class<?> listenerType = loader.loadClass("org.apache.qpid.server.SystemLauncherListener");
      Object listener = Proxy.newProxyInstance(loader, new Class<?>[] {listenerType},
          (proxy, method, args) -> {
            switch (method.getName()) {
              case "onContainerResolve" -> systemConfig.set(args[0]);
              case "equals" -> {
                return proxy == args[0];
              }
              case "hashCode" -> {
                return System.identityHashCode(proxy);
              }
              case "toString" -> {
                return "QpidBroker listener";
              }
              default -> { }
            }
            return null;
          });
      Object launcher = loader.loadClass("org.apache.qpid.server.SystemLauncher")
          .getConstructor(listenerType).newInstance(listener);
      Map<String, Object> attributes = new HashMap<>();
      attributes.put("type", "Memory");
      Path initialConfig = Files.writeString(workDir.resolve("initial-config.json"), CONFIG);
      attributes.put("initialConfigurationLocation", initialConfig.toUri().toString());
      attributes.put("startupLoggedToSystemOut", false);
      // Without this, Qpid reads "classpath:system.properties" through a URL handler that only
      // the system class loader could find, and copies what it reads into System properties.
      Path noProperties = Files.createFile(workDir.resolve("system.properties"));
      attributes.put("initialSystemPropertiesLocation", noProperties.toString());
      attributes.put("context", Map.of(
          "qpid.work_dir", workDir.toString(),
          "qpid.home_dir", workDir.toString()));
      launcher.getClass().getMethod("startup", Map.class).invoke(launcher, attributes);
      Object config = Objects.requireNonNull(systemConfig.get(), "Qpid resolved no container");
      Object broker = call(config, "getContainer");
      QpidBroker started = new QpidBroker(loader, launcher, broker, workDir);
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "qpid-broker-stop"));
      return started;
    } catch (ReflectiveOperationException | IOException | RuntimeException e) {
      deleteQuietly(workDir);
      closeQuietly(loader);
      Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
      throw new IllegalStateException("Qpid Broker-J did not start: " + cause, cause);
    } finally {
      thread.setContextClassLoader(previous);
      if (handlers == null) {
        System.clearProperty(HANDLER_PACKAGES);
      } else {
        System.setProperty(HANDLER_PACKAGES, handlers);
      }
    }
  }

  /** The AMQP port on 127.0.0.1. */
  int port() {
    return port;
  }

  /** The broker's product version, e.g. {@code 9.2.1}. */
  String version() {
    try {
      return String.valueOf(call(broker, "getProductVersion"));
    } catch (ReflectiveOperationException e) {
      return "unknown version";
    }
  }

  /**
   * Closes every client connection from the broker's side, as an operator would, so that clients
   * with automatic recovery reconnect.
   *
   * @return how many connections were closed
   */
  int closeAllConnections() {
    int closed = 0;
    try {
      for (Object node : (Collection<?>) call(broker, "getVirtualHostNodes")) {
        Object host = call(node, "getVirtualHost");
        if (host == null) {
          continue;
        }
        for (Object connection : new ArrayList<>((Collection<?>) call(host, "getConnections"))) {
          call(connection, "delete");
          closed++;
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("could not close connections on Qpid: " + e, e);
    }
    return closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      launcher.getClass().getMethod("shutdown").invoke(launcher);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // stopping anyway: the files and the loader go below
    }
    deleteQuietly(workDir);
    closeQuietly(loader);
  }

  private static int amqpPort(Object broker) throws ReflectiveOperationException {
    for (Object port : (Collection<?>) call(broker, "getPorts")) {
      if ("AMQP".equals(call(port, "getName"))) {
        return (Integer) call(port, "getBoundPort");
      }
    }
    throw new IllegalStateException("Qpid has no AMQP port");
  }

  /** Calls a public no-argument method through the public interface that declares it. */
  private static @Nullable Object call(Object target, String name)
      throws ReflectiveOperationException {
    Method method = publicMethod(target.getClass(), name);
    try {
      return method.invoke(target);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw e;
    }
  }

  private static Method publicMethod(Class<?> type, String name) throws NoSuchMethodException {
    // implementation classes may not be public: look the method up on a public interface
    List<Class<?>> pending = new ArrayList<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      pending.add(c);
    }
    for (int i = 0; i < pending.size(); i++) {
      Class<?> c = pending.get(i);
      if (java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
        try {
          return c.getMethod(name);
        } catch (NoSuchMethodException e) {
          // keep looking
        }
      }
      for (Class<?> i2 : c.getInterfaces()) {
        if (!pending.contains(i2)) {
          pending.add(i2);
        }
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name + "()");
  }

  private static URL[] jarUrls(Path directory) {
    List<URL> urls = new ArrayList<>();
    if (Files.isDirectory(directory)) {
      try (Stream<Path> files = Files.list(directory)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          if (file.toString().endsWith(".jar")) {
            urls.add(file.toUri().toURL());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (urls.isEmpty()) {
      throw new IllegalStateException("No Qpid Broker-J jars in " + directory.toAbsolutePath()
          + ": the build copies them there (mvn -pl it -am verify, or generate-resources), or name"
          + " another directory with -D" + DIRECTORY_PROPERTY);
    }
    return urls.toArray(new URL[0]);
  }

  private static void deleteQuietly(@Nullable Path directory) {
    if (directory == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temp dir left behind is no reason to fail a test run
    }
  }

  private static void closeQuietly(URLClassLoader loader) {
    try {
      loader.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  /** Qpid's jars first, over the platform classes; SLF4J from the application. */
  private static final class IsolatedLoader extends URLClassLoader {
    static {
      ClassLoader.registerAsParallelCapable();
    }

    private final ClassLoader application = QpidBroker.class.getClassLoader();

    IsolatedLoader(URL[] urls) {
      super("qpid-broker", urls, ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("org.slf4j.")) {
        return application.loadClass(name);
      }
      return super.loadClass(name, resolve);
    }
  }
}
