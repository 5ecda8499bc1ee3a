package dev.replog.bench.load;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/** replog's master: {@code POST /messages?w=} or, with {@code --batch > 1}, {@code POST /messages/batch?w=}. */
final class ReplogTarget implements Target {

    private final URI master;
    private final String w;
    private final boolean batch;

    ReplogTarget(URI master, String w, boolean batch) {
        this.master = master;
        this.w = w;
        this.batch = batch;
    }

    @Override
    public Client connect() {
        HttpConnection http = new HttpConnection(master);
        String path = (batch ? "/messages/batch?w=" : "/messages?w=") + w;
        return new Client() {
            @Override
            public String write(String[] messages) throws Exception {
                HttpConnection.Response response = http.post(path, body(messages));
                return response.status() == 201 ? null : response.status() + " " + response.text();
            }

            @Override
            public void close() {
                http.close();
            }
        };
    }

    private byte[] body(String[] messages) {
        StringBuilder json = new StringBuilder(messages.length * (messages[0].length() + 4) + 32);
        if (batch) {
            json.append("{\"messages\":[");
            for (int i = 0; i < messages.length; i++) {
                json.append(i == 0 ? "\"" : ",\"").append(messages[i]).append('"');
            }
            json.append("]}");
        } else {
            json.append("{\"message\":\"").append(messages[0]).append("\"}");
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String describe() {
        return "replog " + master + (batch ? " POST /messages/batch" : " POST /messages") + " w=" + w;
    }
}
