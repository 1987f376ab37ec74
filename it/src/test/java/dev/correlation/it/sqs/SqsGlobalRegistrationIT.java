package dev.correlation.it.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The SDK's own class path registration: a {@code software/amazon/awssdk/global/handlers/
 * execution.interceptors} file naming our interceptor adds it to every client, built with no
 * interceptor in code. Runs in an isolated class loader so that no other test's client sees it.
 */
class SqsGlobalRegistrationIT {
  private final SqsTestKit kit = new SqsTestKit();

  @AfterEach
  void cleanUp() {
    kit.close();
  }

  @Test
  void theInterceptorNamedInTheSdksGlobalFileDecoratesEveryClient(@TempDir Path resources)
      throws Exception {
    Path file = resources.resolve("software/amazon/awssdk/global/handlers/execution.interceptors");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "dev.correlation.sqs.CorrelationExecutionInterceptor\n");
    List<URL> urls = new ArrayList<>();
    urls.add(resources.toUri().toURL());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(Path.of(entry).toUri().toURL());
    }
    String queue = kit.queue("global");

    String messageId;
    try (URLClassLoader isolated = new URLClassLoader(urls.toArray(new URL[0]),
        ClassLoader.getPlatformClassLoader())) {
      Method send = isolated.loadClass(GlobalRegistrationProbe.class.getName())
          .getDeclaredMethod("sendInFlow", String.class, String.class, String.class,
              String.class);
      send.setAccessible(true);
      messageId = (String) send.invoke(null, SqsTestKit.BROKER.endpoint().toString(),
          SqsTestKit.BROKER.region().id(), queue, "flow-from-global-registration");
    }
    Message m = kit.plain.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(5)
        .messageAttributeNames("X-Correlation-ID")).messages().get(0);

    assertThat(m.messageId()).isEqualTo(messageId);
    assertThat(m.messageAttributes().get("X-Correlation-ID").stringValue())
        .isEqualTo("flow-from-global-registration");
  }
}
