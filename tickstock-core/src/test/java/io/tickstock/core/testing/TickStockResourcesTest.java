package io.tickstock.core.testing;

import io.tickstock.core.resources.TickStockResources;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TickStockResourcesTest {
    @Test
    void createdResourcesOwnTheirControlThreadAndShutItDown() throws Exception {
        TickStockResources r = TickStockResources.create();
        String name = r.scheduler().submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
        assertThat(name).startsWith("tickstock-control-");
        r.close();
        assertThat(r.scheduler().isShutdown()).isTrue();
    }
}
