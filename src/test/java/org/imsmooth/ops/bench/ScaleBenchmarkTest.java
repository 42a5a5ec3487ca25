package org.imsmooth.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** bench-scale's options, its demo sizes and how it names what bound a run (no services started). */
class ScaleBenchmarkTest {

    @Test
    void optionsNeedABrokerAndStartWithOneInstance() {
        ScaleBenchmark.Options o = ScaleBenchmark.parse(new String[] {"--broker-url=tcp://h:61616", "--instances=1,2,3",
                "--quota-factors=10", "--demo-scale=5"});
        assertThat(o.instances()).containsExactly(1, 2, 3);
        assertThat(o.quotaFactors()).containsExactly(10);
        assertThat(o.demoScale()).isEqualTo(5);
        assertThat(o.brokerUrl()).isEqualTo("tcp://h:61616");
        assertThatThrownBy(() -> ScaleBenchmark.parse(new String[] {"--broker-url=tcp://h:61616", "--instances=2"}))
                .hasMessageContaining("start with 1");
        assertThatThrownBy(() -> ScaleBenchmark.parse(new String[] {"--broker-url=tcp://h:61616", "--nonsense"}))
                .hasMessageContaining("unknown option");
    }

    @Test
    void theDemoIsTheQuotaBenchmarksDividedByTheScale() {
        assertThat(ScaleBenchmark.demo(1).users()).isEqualTo(6000);
        assertThat(ScaleBenchmark.demo(1).groupMessages()).isEqualTo(14000);
        assertThat(ScaleBenchmark.demo(5).messages()).isEqualTo(1200);
        assertThat(ScaleBenchmark.demo(5).groups()).isEqualTo(200);
    }

    @Test
    void aRunIsBoundByTheQuotaTheCpuOrCallsInFlight() {
        assertThat(ScaleBenchmark.boundBy(run(0.98, 0.5))).startsWith("the quota");
        assertThat(ScaleBenchmark.boundBy(run(0.60, 0.97))).startsWith("CPU").contains("97% busy");
        assertThat(ScaleBenchmark.boundBy(run(0.60, 0.40))).contains("calls in flight");
    }

    @Test
    void schemaUrlsKeepTheirParameters() {
        assertThat(ScaleBenchmark.schemaUrl("jdbc:postgresql://h/db", "s")).isEqualTo("jdbc:postgresql://h/db?currentSchema=s");
        assertThat(ScaleBenchmark.schemaUrl("jdbc:postgresql://h/db?ssl=true", "s")).isEqualTo("jdbc:postgresql://h/db?ssl=true&currentSchema=s");
    }

    private static Map<String, Object> run(double ofQuota, double machineBusy) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("apis", Map.of("importmsg", Map.of("ofQuota", ofQuota), "portrait_set", Map.of("ofQuota", 0.99)));
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("machineBusy", machineBusy);
        cpu.put("instanceCores", List.of(0.9, 0.8));
        cpu.put("sandboxCores", 0.1);
        cpu.put("brokerCores", 0.1);
        run.put("cpu", cpu);
        return run;
    }
}
