/**
 * Our flow as a Micrometer context-propagation {@code ThreadLocalAccessor}, so that Reactor's
 * automatic context propagation and Spring's {@code ContextPropagatingTaskDecorator} carry it.
 */
@NullMarked
package dev.correlation.contextpropagation;

import org.jspecify.annotations.NullMarked;
