package dev.vigil.server.scrape;

import java.nio.ByteBuffer;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} whose client engines always send {@code server_name} as SNI. The JDK's HTTP
 * client sets the SNI of a connection to the URI's host name after creating the engine; the engines
 * made here replace it, as Go's {@code tls.Config.ServerName} does.
 */
final class SniContext {
  private SniContext() {}

  /** Wraps {@code real} so that its engines send {@code serverName} as SNI. */
  static SSLContext wrap(SSLContext real, String serverName) {
    SNIHostName sni = new SNIHostName(serverName);
    return new SSLContext(new Spi(real, sni), real.getProvider(), real.getProtocol()) {};
  }

  private static final class Spi extends SSLContextSpi {
    private final SSLContext real;
    private final SNIHostName sni;

    Spi(SSLContext real, SNIHostName sni) {
      this.real = real;
      this.sni = sni;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
        throws KeyManagementException {
      real.init(km, tm, sr);
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return real.getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return real.getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return new Engine(real.createSSLEngine(), sni);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return new Engine(real.createSSLEngine(host, port), sni);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return real.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return real.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return real.getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return real.getSupportedSSLParameters();
    }
  }

  /** Delegates everything to the JDK's engine, except that SNI stays {@code server_name}. */
  private static final class Engine extends SSLEngine {
    private final SSLEngine e;
    private final SNIHostName sni;

    Engine(SSLEngine e, SNIHostName sni) {
      super(e.getPeerHost(), e.getPeerPort());
      this.e = e;
      this.sni = sni;
      setSSLParameters(e.getSSLParameters());
    }

    @Override
    public void setSSLParameters(SSLParameters p) {
      p.setServerNames(List.of(sni));
      e.setSSLParameters(p);
    }

    @Override
    public SSLParameters getSSLParameters() {
      return e.getSSLParameters();
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] src, int off, int len, ByteBuffer dst)
        throws SSLException {
      return e.wrap(src, off, len, dst);
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dst, int off, int len)
        throws SSLException {
      return e.unwrap(src, dst, off, len);
    }

    @Override
    public Runnable getDelegatedTask() {
      return e.getDelegatedTask();
    }

    @Override
    public void closeInbound() throws SSLException {
      e.closeInbound();
    }

    @Override
    public boolean isInboundDone() {
      return e.isInboundDone();
    }

    @Override
    public void closeOutbound() {
      e.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
      return e.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return e.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
      return e.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
      e.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
      return e.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
      return e.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
      e.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
      return e.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
      return e.getHandshakeSession();
    }

    @Override
    public void beginHandshake() throws SSLException {
      e.beginHandshake();
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
      return e.getHandshakeStatus();
    }

    @Override
    public void setUseClientMode(boolean mode) {
      e.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
      return e.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
      e.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
      return e.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
      e.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
      return e.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
      e.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
      return e.getEnableSessionCreation();
    }

    @Override
    public String getApplicationProtocol() {
      return e.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
      return e.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(
        BiFunction<SSLEngine, List<String>, String> selector) {
      e.setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
      return e.getHandshakeApplicationProtocolSelector();
    }
  }
}
