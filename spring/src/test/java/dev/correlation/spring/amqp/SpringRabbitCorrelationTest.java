package dev.correlation.spring.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.Scope;
import dev.correlation.testing.CleanThreadExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

@ExtendWith(CleanThreadExtension.class)
class SpringRabbitCorrelationTest {
  private final SpringRabbitCorrelation rabbit =
      SpringRabbitCorrelation.create(CorrelationConfig.defaults());

  private static Message message(MessageProperties properties) {
    return new Message("body".getBytes(), properties);
  }

  @Test
  void publishWritesHeaderCorrelationIdAndMessageIdWhereEmpty() {
    Message sent = message(new MessageProperties());
    Correlation.runWith("flow-1", () -> rabbit.messagePostProcessor().postProcessMessage(sent));
    MessageProperties p = sent.getMessageProperties();
    assertThat(p.<Object>getHeader("X-Correlation-ID")).isEqualTo("flow-1");
    assertThat(p.getCorrelationId()).isEqualTo("flow-1");
    assertThat(p.getMessageId()).isNotEmpty();
  }

  @Test
  void publishKeepsTheTemplatesReplyKeyInCorrelationId() {
    MessageProperties properties = new MessageProperties();
    properties.setCorrelationId("17");
    properties.setHeader("other", "kept");
    Message sent = message(properties);
    Correlation.runWith("flow-1", () -> rabbit.messagePostProcessor().postProcessMessage(sent));
    assertThat(properties.getCorrelationId()).isEqualTo("17");
    assertThat(properties.<Object>getHeader("X-Correlation-ID")).isEqualTo("flow-1");
    assertThat(properties.<Object>getHeader("other")).isEqualTo("kept");
  }

  @Test
  void publishWhileHandlingAMessageWritesItsIdAsCausation() {
    MessageProperties incoming = new MessageProperties();
    incoming.setHeader("X-Correlation-ID", "flow-1");
    incoming.setMessageId("m-1");
    Message sent = message(new MessageProperties());
    try (Scope scope = rabbit.open(message(incoming))) {
      rabbit.messagePostProcessor().postProcessMessage(sent);
    }
    assertThat(sent.getMessageProperties().<Object>getHeader("X-Causation-ID")).isEqualTo("m-1");
    assertThat(sent.getMessageProperties().<Object>getHeader("X-Correlation-ID"))
        .isEqualTo("flow-1");
  }

  @Test
  void receiveIgnoresTheCorrelationIdPropertyOfRpcCallers() {
    MessageProperties incoming = new MessageProperties();
    incoming.setCorrelationId("17");
    incoming.setHeader("X-Correlation-ID", "flow-1");
    assertThat(rabbit.context(message(incoming)).correlationId()).isEqualTo("flow-1");
  }

  @Test
  void errorHandlerWrapsOnce() {
    org.springframework.util.ErrorHandler plain = t -> { };
    org.springframework.util.ErrorHandler wrapped = rabbit.errorHandler(plain);
    assertThat(rabbit.errorHandler(wrapped)).isSameAs(wrapped);
  }
}
