package dev.replog.bench.load;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * etcd v3 through its HTTP/JSON gateway: {@code POST /v3/kv/put} with base64 key and value (a
 * {@code /v3/kv/txn} of puts for {@code --batch > 1}). A put is acknowledged once a majority of the
 * members has it in its fsynced raft log: the only write concern etcd has, whatever {@code --w} says.
 */
final class EtcdTarget implements Target {

    private static final Base64.Encoder B64 = Base64.getEncoder();
    private final URI endpoint;
    private final AtomicLong keys = new AtomicLong();

    EtcdTarget(URI endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public Client connect() {
        HttpConnection http = new HttpConnection(endpoint);
        return new Client() {
            @Override
            public String write(String[] messages) throws Exception {
                HttpConnection.Response response = messages.length == 1
                        ? http.post("/v3/kv/put", put(messages[0]).getBytes(StandardCharsets.UTF_8))
                        : http.post("/v3/kv/txn", txn(messages).getBytes(StandardCharsets.UTF_8));
                return response.status() == 200 ? null : response.status() + " " + response.text();
            }

            @Override
            public void close() {
                http.close();
            }
        };
    }

    private String put(String message) {
        return "{\"key\":\"" + b64("bench/" + keys.incrementAndGet()) + "\",\"value\":\"" + b64(message) + "\"}";
    }

    private String txn(String[] messages) {
        StringBuilder json = new StringBuilder("{\"success\":[");
        for (int i = 0; i < messages.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"requestPut\":").append(put(messages[i])).append('}');
        }
        return json.append("]}").toString();
    }

    private static String b64(String text) {
        return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String describe() {
        return "etcd " + endpoint + " v3 gateway put (majority, fsync)";
    }
}
