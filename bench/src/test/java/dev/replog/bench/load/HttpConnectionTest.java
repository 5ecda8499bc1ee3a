package dev.replog.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The load generator's HTTP client against a scripted server on loopback: what it sends, how it
 * reads answers, and when it keeps, ends or opens a connection.
 */
// separate thread: a client blocked on a socket read for an answer that never comes is not interruptible
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpConnectionTest {

    private ScriptedServer server;
    private HttpConnection http;

    @BeforeEach
    void start() throws IOException {
        server = new ScriptedServer();
        http = new HttpConnection(URI.create("http://127.0.0.1:" + server.port()));
    }

    @AfterEach
    void stop() throws IOException {
        http.close();
        server.close();
    }

    @Test
    void sendsOneRequestPerPostWithTheBodyAndItsLength() throws Exception {
        server.answer(ok("{}"), ok("{}"));

        http.post("/messages?w=3", json("{\"message\":\"a\"}"));
        http.post("/messages?w=3", json("{\"message\":\"longer\"}"));

        assertThat(server.requests()).containsExactly(
                "POST /messages?w=3 HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                        + "\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"message\":\"a\"}",
                "POST /messages?w=3 HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                        + "\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{\"message\":\"longer\"}");
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void readsHeadersInAnyCaseAndAChunkedBody() throws Exception {
        server.answer("HTTP/1.1 503 Service Unavailable\r\nTRANSFER-ENCODING:  Chunked \r\n\r\n"
                + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n",
                "HTTP/1.1 201 Created\r\ncontent-length: 17\r\n\r\n{\"seq\":7,\"id\":42}");

        HttpConnection.Response chunked = http.post("/messages", json("{}"));
        HttpConnection.Response next = http.post("/messages", json("{}"));

        assertThat(chunked.status()).isEqualTo(503);
        assertThat(chunked.text()).isEqualTo("hello, world");
        assertThat(next.status()).isEqualTo(201);
        assertThat(next.text()).isEqualTo("{\"seq\":7,\"id\":42}");
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void opensANewConnectionAfterConnectionClose() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", ok("again"));

        assertThat(http.post("/messages", json("{}")).text()).isEqualTo("ok");
        assertThat(http.post("/messages", json("{}")).text()).isEqualTo("again");
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void retriesOnceOnANewConnectionWhenTheServerClosedTheIdleOne() throws Exception {
        server.answer(ok("first"));
        assertThat(http.post("/messages", json("{}")).text()).isEqualTo("first");
        server.closeAfterNextRequest();
        server.answer(ok("second"));

        assertThat(http.post("/messages", json("{}")).text()).isEqualTo("second");
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void givesUpWhenTheFreshConnectionFailsToo() {
        server.answer("SSH-2.0-OpenSSH\r\n\r\n", "SSH-2.0-OpenSSH\r\n\r\n");

        assertThatThrownBy(() -> http.post("/messages", json("{}")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not an HTTP answer");
        assertThat(server.connections()).isEqualTo(2);
    }

    private static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Answers each request it reads (head and Content-Length body) with the next scripted answer,
     * on any number of connections, one at a time.
     */
    private static final class ScriptedServer implements AutoCloseable {

        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        private final List<String> requests = new CopyOnWriteArrayList<>();
        private final Thread thread = new Thread(this::serve, "scripted-http-server");
        private volatile int connections;
        private volatile boolean closeAfterNext;

        ScriptedServer() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        void answer(String... scripted) {
            answers.addAll(List.of(scripted));
        }

        /** Reads the next request and closes the connection without an answer. */
        void closeAfterNextRequest() {
            closeAfterNext = true;
        }

        List<String> requests() {
            return requests;
        }

        int connections() {
            return connections;
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    connections++;
                    InputStream in = client.getInputStream();
                    OutputStream out = client.getOutputStream();
                    String request;
                    while ((request = readRequest(in)) != null) {
                        if (closeAfterNext) {
                            closeAfterNext = false;
                            break;
                        }
                        requests.add(request);
                        String answer = answers.poll(10, TimeUnit.SECONDS);
                        // keeps serving after a Connection: close: ending the connection is the client's part
                        out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                } catch (IOException | InterruptedException | RuntimeException e) {
                    // closed by the test, or the client went away
                }
            }
        }

        /** One request, head and body, or null at the end of the stream. */
        private static String readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int at = text.indexOf("Content-Length: ") + "Content-Length: ".length();
            int length = Integer.parseInt(text.substring(at, text.indexOf('\r', at)));
            return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
