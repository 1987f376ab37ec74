/** The SQS-compatible server of the integration tests and the demo, and clients for it. */
@NullMarked
package dev.correlation.it.sqs;

import org.jspecify.annotations.NullMarked;
