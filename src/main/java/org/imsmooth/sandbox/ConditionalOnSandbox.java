package org.imsmooth.sandbox;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Every sandbox bean carries this: the main application's component scan sees the sandbox package,
 * so each bean must switch itself off when {@code sandbox.enabled} is not true.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@ConditionalOnProperty(prefix = "sandbox", name = "enabled", havingValue = "true")
public @interface ConditionalOnSandbox {
}
