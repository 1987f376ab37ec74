package dev.correlation.it.sqs;

import dev.correlation.Correlation;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Runs inside a class loader that also sees an SDK global interceptor file: sends one message in
 * a flow through a client built without any interceptor of its own.
 */
final class GlobalRegistrationProbe {
  private GlobalRegistrationProbe() {}

  static String sendInFlow(String endpoint, String region, String queueUrl, String flow) {
    try (SqsClient client = SqsClient.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build()) {
      return Correlation.supplyWith(flow, () -> client.sendMessage(b -> b.queueUrl(queueUrl)
          .messageBody("registered by class path")).messageId());
    }
  }
}
