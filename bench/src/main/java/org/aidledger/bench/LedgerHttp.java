package org.aidledger.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The ledger's REST API as the load generators call it: Basic sign-in, JSON in and out. */
public final class LedgerHttp {

    public static final String ADMIN = "admin:admin-pass";
    public static final String APPROVER = "approver:approver-pass";
    public static final String AUDITOR = "auditor:auditor-pass";
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"?([^\",}]*)");

    private final Duration timeout;
    private final String host;
    private final int port;
    private final String hostHeader;
    private final ThreadLocal<Connection> connections = new ThreadLocal<>();

    public LedgerHttp(String base, Duration timeout) {
        URI uri = URI.create(base);
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 80 : uri.getPort();
        this.hostHeader = host + ":" + port;
        this.timeout = timeout;
    }

    /** Host and port, as in reports. */
    public String base() {
        return hostHeader;
    }

    /** What a call answered. */
    public record Answer(int status, String body) {
        public String field(String name) {
            Matcher m = FIELD.matcher(body);
            while (m.find()) {
                if (m.group(1).equals(name)) {
                    return m.group(2);
                }
            }
            return null;
        }
    }

    /** A write with a client transaction id of its own. */
    Answer post(String user, String path, String json) throws IOException, InterruptedException {
        return send(user, "POST", path, json, "bench-" + UUID.randomUUID());
    }

    Answer post(String path, String json) throws IOException, InterruptedException {
        return post(ADMIN, path, json);
    }

    public Answer get(String user, String path) throws IOException, InterruptedException {
        return send(user, "GET", path, null, null);
    }

    public Answer send(String user, String method, String path, String json, String clientTx)
            throws IOException, InterruptedException {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path)
                .append(" HTTP/1.1\r\nHost: ").append(hostHeader)
                .append("\r\nAuthorization: Basic ").append(Base64.getEncoder().encodeToString(
                        user.getBytes(StandardCharsets.UTF_8)));
        byte[] body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            head.append("\r\nContent-Type: application/json\r\nClient-Transaction-Id: ")
                    .append(clientTx).append("\r\nContent-Length: ").append(body.length);
        }
        byte[] request = head.append("\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        for (int attempt = 0; ; attempt++) {
            Connection c = connections.get();
            if (c == null) {
                c = new Connection(host, port, (int) timeout.toMillis());
                connections.set(c);
            }
            try {
                Answer a = c.exchange(request, body);
                if (c.closed) {
                    connections.remove();
                }
                return a;
            } catch (IOException e) {
                c.close();
                connections.remove();
                // A kept-alive connection the server closed while it was idle fails before any
                // of the answer arrives, so that case is sent once more on a new connection. The
                // server may also have died with the request (chaos kills it): sending it again
                // is safe, as every write carries its client transaction id. Anything else is
                // the caller's to see.
                if (attempt > 0 || !c.reused || c.answerStarted) {
                    throw e;
                }
            }
        }
    }

    /**
     * One kept-alive HTTP/1.1 connection per calling thread, as pgbench keeps one database
     * connection per client. Written by hand because the JDK's HttpClient cost the load
     * generator about 1.2 ms of CPU per request (half a core at W1's rate, on the two cores the
     * ledger is measured on).
     */
    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        boolean reused;
        boolean answerStarted;
        boolean closed;

        Connection(String host, int port, int timeoutMs) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(timeoutMs);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        }

        Answer exchange(byte[] head, byte[] body) throws IOException {
            answerStarted = false;
            out.write(head);
            if (body != null) {
                out.write(body);
            }
            out.flush();
            String statusLine = line();
            if (statusLine == null) {
                // Closed before any answer: the case send() tries once more on a new connection
                // (it was taken for an answer begun, so a connection the server had closed while
                // idle failed the caller: chaos nodes' overdraw once ended this way).
                throw new IOException("the connection was closed before any answer");
            }
            answerStarted = true;
            if (!statusLine.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            int length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String h = line(); h != null && !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim();
                String value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Integer.parseInt(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.equalsIgnoreCase("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    close = value.equalsIgnoreCase("close");
                }
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream(512);
            if (status == 204 || status == 304 || status < 200) {
                // no body, whatever the headers say
            } else if (chunked) {
                for (int size = chunkSize(); size > 0; size = chunkSize()) {
                    copy(answer, size);
                    line();
                }
                for (String t = line(); t != null && !t.isEmpty(); t = line()) {
                    // trailers: none expected
                }
            } else if (length >= 0) {
                copy(answer, length);
            } else {
                close = true;
                in.transferTo(answer);
            }
            reused = true;
            if (close) {
                close();
            }
            return new Answer(status, answer.toString(StandardCharsets.UTF_8));
        }

        private int chunkSize() throws IOException {
            String l = line();
            if (l == null) {
                throw new EOFException("connection closed inside a chunked answer");
            }
            int semi = l.indexOf(';');
            return Integer.parseInt((semi < 0 ? l : l.substring(0, semi)).trim(), 16);
        }

        private void copy(ByteArrayOutputStream into, int n) throws IOException {
            byte[] buf = new byte[Math.min(n, 8192)];
            while (n > 0) {
                int r = in.read(buf, 0, Math.min(n, buf.length));
                if (r < 0) {
                    throw new EOFException("connection closed inside an answer");
                }
                into.write(buf, 0, r);
                n -= r;
            }
        }

        /** A CRLF-terminated line, without the CRLF; null at the end of the stream. */
        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    int len = sb.length();
                    return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1)
                            : sb.toString();
                }
                sb.append((char) b);
            }
            return sb.length() == 0 ? null : sb.toString();
        }

        void close() {
            closed = true;
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection: nothing more to do
            }
        }
    }

    /** A body and a fund holding {@code cash} (a decimal string), ready for payouts. */
    public String fundWithCash(String prefix, String threshold, String cash)
            throws IOException, InterruptedException {
        String body = prefix + "-body";
        post("/api/v1/union-bodies", "{\"bodyId\":\"" + body + "\",\"name\":\"bench\","
                + "\"level\":\"CITY\"}");
        String fundId = prefix + "-fund";
        require(post("/api/v1/funds", "{\"fundId\":\"" + fundId + "\",\"bodyId\":\"" + body
                + "\",\"name\":\"f\",\"purpose\":\"HARDSHIP\",\"currency\":\"CNY\","
                + "\"approvalThreshold\":\"" + threshold + "\"}"));
        require(post("/api/v1/funds/" + fundId + "/donations", "{\"donorType\":\"COMPANY\","
                + "\"amount\":\"" + cash + "\",\"currency\":\"CNY\"}"));
        return fundId;
    }

    public static Answer require(Answer a) {
        if (a.status() >= 300) {
            throw new IllegalStateException("the ledger refused set-up: " + a.status() + " "
                    + a.body());
        }
        return a;
    }
}
