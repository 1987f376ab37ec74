package dev.correlation;

import java.lang.reflect.InvocationTargetException;
import java.util.function.UnaryOperator;

/**
 * Loads the classes a string setting names ({@code correlation.generator=com.acme.MyIds}): through
 * the thread's context class loader (an application server's or Spring Boot's), with a public
 * no-argument constructor, checked against the type the setting needs.
 */
final class ConfiguredClasses {
  private ConfiguredClasses() {}

  /**
   * A new instance of {@code className}.
   *
   * @param builtIns the setting's built-in names, for the error message
   * @throws IllegalArgumentException if {@code className} is not a class name, is missing, does not
   *     implement {@code type} or cannot be made with a public no-argument constructor
   */
  static <T> T instantiate(String className, Class<T> type, String builtIns) {
    if (className.indexOf('.') < 0) {
      throw new IllegalArgumentException("expected one of " + builtIns + " or a class name");
    }
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      Class<?> c = Class.forName(className, true,
          loader != null ? loader : ConfiguredClasses.class.getClassLoader());
      if (!type.isAssignableFrom(c)) {
        throw new IllegalArgumentException(className + " does not implement " + type.getName());
      }
      return type.cast(c.getConstructor().newInstance());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("no class " + className + " (built-ins: " + builtIns
          + ")");
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
        | InvocationTargetException e) {
      throw new IllegalArgumentException(className
          + " needs a public no-argument constructor: " + e);
    }
  }

  /** A {@code UnaryOperator<String>} named by class, as {@link #instantiate} makes it. */
  @SuppressWarnings("unchecked") // a raw UnaryOperator class; IDs in, IDs out by contract
  static UnaryOperator<String> transformer(String className, String builtIns) {
    return instantiate(className, UnaryOperator.class, builtIns);
  }
}
