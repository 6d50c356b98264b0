package dev.vigil.examples.spring;

import dev.vigil.micrometer.VigilMeterRegistry;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.VigilConfig;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot 4 application whose Micrometer meters (its own, and Spring's) go to Vigil: {@code
 * Vigil.start} runs beside the application (its own port: dashboard, PromQL, {@code /metrics}),
 * {@link VigilMeterRegistry} is the application's {@code MeterRegistry}, and the actuator's {@code
 * /actuator/prometheus} serves the same registry.
 *
 * <p>Properties: {@code vigil.host} (default 127.0.0.1), {@code vigil.port} (9470), {@code
 * vigil.storage-path} ({@code data}); the actuator endpoint is exposed with {@code
 * management.endpoints.web.exposure.include=health,prometheus}.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class SpringBootExample {

  /** Starts the application. */
  public static void main(String[] args) {
    SpringApplication.run(SpringBootExample.class, args);
  }

  /** Vigil's server beside the application, stopped with it. */
  @Bean(destroyMethod = "close")
  Vigil vigil(
      @Value("${vigil.host:127.0.0.1}") String host,
      @Value("${vigil.port:9470}") int port,
      @Value("${vigil.storage-path:data}") String storagePath) {
    return Vigil.start(
        VigilConfig.defaults().withListen(host, port).withStoragePath(Path.of(storagePath)));
  }

  /** The application's MeterRegistry: Spring Boot binds its meters to it. */
  @Bean(destroyMethod = "close")
  VigilMeterRegistry vigilMeterRegistry(Vigil vigil) {
    return new VigilMeterRegistry(vigil.registry());
  }

  /** {@code /actuator/prometheus}, from Vigil's registry. */
  @Bean
  VigilPrometheusEndpoint vigilPrometheusEndpoint(Vigil vigil) {
    return new VigilPrometheusEndpoint(vigil.registry());
  }

  /** An endpoint of the application, timed by Spring as {@code http.server.requests}. */
  @RestController
  static class Hello {
    @GetMapping("/hello")
    String hello() {
      return "hello";
    }
  }
}
