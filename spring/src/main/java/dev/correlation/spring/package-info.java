/**
 * Spring Boot auto-configuration of the library: the {@code correlation.*} properties and the
 * process-wide {@link dev.correlation.CorrelationConfig} made of them. The broker integrations live
 * in the sub-packages, each active only when its Spring project is on the class path.
 *
 * <p>Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.correlation.spring;

import org.jspecify.annotations.NullMarked;
