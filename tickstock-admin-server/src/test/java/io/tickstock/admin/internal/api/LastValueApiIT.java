package io.tickstock.admin.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstock.admin.support.ServerFixture;
import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Trade;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.tickstock.admin.support.ServerFixture.ADMIN;
import static io.tickstock.admin.support.ServerFixture.ADMIN_PASSWORD;
import static io.tickstock.admin.support.ServerFixture.VIEWER;
import static io.tickstock.admin.support.ServerFixture.VIEWER_PASSWORD;
import static io.tickstock.admin.support.ServerFixture.basic;
import static org.assertj.core.api.Assertions.assertThat;

class LastValueApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/api/admin/ticks/last";
    private ServerFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new ServerFixture(Map.of());
        f.gateway.lastValues.accept(new Trade("connection_1", "AAPL", 4, "t1", 178.25, 100, List.of(),
                1_764_601_200_123L, 42, 3, 1_764_601_200_130L));
        f.gateway.lastValues.accept(new Quote("connection_2", "AAPL", 11, 178.2, 3, 12, 178.3, 2,
                1_764_601_200_200L, 77, 3, 1_764_601_200_201L));
        f.gateway.lastValues.accept(new Quote("connection_2", "MSFT", 11, 410.0, 1, 12, 410.1, 5,
                1_764_601_200_300L, 5, 3, 1_764_601_200_301L));
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private HttpResponse<String> get(String query) throws Exception {
        return f.get(PATH + query, "Authorization", basic(ADMIN, ADMIN_PASSWORD));
    }

    @Test
    void returnsTheLatestTradeAndQuoteWithTheirPointAndListsTheMissing() throws Exception {
        HttpResponse<String> r = get("?symbols=aapl,MSFT,%20ZZZ,AAPL");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"timestamp\":1764601200.123,").doesNotContain("E9");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("demo").asBoolean()).isEqualTo(f.gateway.demo());
        assertThat(body.get("as_of").isNumber()).isTrue();
        assertThat(body.get("symbols").size()).isEqualTo(2);
        assertThat(body.at("/symbols/AAPL/trade")).isEqualTo(JSON.readTree("{\"price\":178.25,\"size\":100,"
                + "\"exchange\":4,\"timestamp\":1764601200.123,\"sequence\":42,\"connection_id\":\"connection_1\"}"));
        assertThat(body.at("/symbols/AAPL/quote")).isEqualTo(JSON.readTree("{\"bid\":178.2,\"bid_size\":3,"
                + "\"ask\":178.3,\"ask_size\":2,\"timestamp\":1764601200.2,\"sequence\":77,"
                + "\"connection_id\":\"connection_2\"}"));
        assertThat(body.at("/symbols/MSFT/trade").isNull()).isTrue();
        assertThat(body.at("/symbols/MSFT/quote/sequence").asLong()).isEqualTo(5);
        assertThat(body.get("missing").toString()).isEqualTo("[\"ZZZ\"]");
    }

    @Test
    void badRequestsGetA400JsonError() throws Exception {
        for (String q : new String[] {"", "?symbols=", "?symbols=,,", "?symbols=AAPL,%3Cscript%3E", "?symbols=TOOLONGTICKER1"}) {
            HttpResponse<String> r = get(q);
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("status").asInt()).isEqualTo(400);
            assertThat(body.get("error").asText()).isNotBlank();
        }
        String many = IntStream.range(0, LastValueApi.MAX_SYMBOLS_PER_REQUEST + 1).mapToObj(i -> "S" + i)
                .collect(Collectors.joining(","));
        HttpResponse<String> r = get("?symbols=" + many);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("too many symbols: at most 500");
        String exactly = IntStream.range(0, LastValueApi.MAX_SYMBOLS_PER_REQUEST).mapToObj(i -> "S" + i)
                .collect(Collectors.joining(","));
        assertThat(get("?symbols=" + exactly).statusCode()).isEqualTo(200);
    }

    @Test
    void anonymousGets401AndViewerGets403LikeEveryAdminApi() throws Exception {
        assertThat(f.get(PATH + "?symbols=AAPL").statusCode()).isEqualTo(401);
        HttpResponse<String> viewer = f.get(PATH + "?symbols=AAPL", "Authorization", basic(VIEWER, VIEWER_PASSWORD));
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(viewer.body()).doesNotContain("178.25");
        assertThat(f.auditLines()).anySatisfy(l -> assertThat(l).contains("ticks_last").contains("forbidden"));
    }
}
