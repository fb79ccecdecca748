package actorgraph.nlplauncher;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import com.sun.net.httpserver.spi.HttpServerProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Binds every HTTP server of the JVM to the loopback interface. StanfordCoreNLPServer has no
 * bind-address option (it listens on all interfaces); corenlpctl installs this provider with
 * -Dcom.sun.net.httpserver.HttpServerProvider so the server is reachable from this machine only.
 */
public final class LoopbackHttpServerProvider extends HttpServerProvider {
  private final HttpServerProvider jdk = new sun.net.httpserver.DefaultHttpServerProvider();

  private static InetSocketAddress loopback(InetSocketAddress addr) {
    return addr == null ? null : new InetSocketAddress(InetAddress.getLoopbackAddress(), addr.getPort());
  }

  @Override
  public HttpServer createHttpServer(InetSocketAddress addr, int backlog) throws IOException {
    return jdk.createHttpServer(loopback(addr), backlog);
  }

  @Override
  public HttpsServer createHttpsServer(InetSocketAddress addr, int backlog) throws IOException {
    return jdk.createHttpsServer(loopback(addr), backlog);
  }
}
