import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import Testing

@testable import IDGraph

/// A transport error is named by its type and value — the errors NIO, NIOSSL and the HTTP client
/// throw — never by searching its text. (`CheckRunTests` meets refused, unresolvable and
/// TLS-handshake failures over real sockets.)
@Suite struct TransportClassificationTests {
    /// An error of a type the transport does not know, whose text says everything a text search would find.
    struct Misleading: Error, CustomStringConvertible {
        var description: String { "connection refused: DNS error: UnknownHost, SSL handshake timed out, reset, EOF" }
    }

    @Test func socketErrorsAreNamedByErrno() {
        #expect(Transport.classify(IOError(errnoCode: ECONNREFUSED, reason: "connect")) == .refused)
        #expect(Transport.classify(IOError(errnoCode: ECONNRESET, reason: "read")) == .connection("the connection was reset"))
        #expect(Transport.classify(IOError(errnoCode: EPIPE, reason: "write")) == .connection("the connection was reset"))
        #expect(Transport.classify(IOError(errnoCode: ETIMEDOUT, reason: "connect")) == .timeout)
        #expect(
            Transport.classify(IOError(errnoCode: EHOSTUNREACH, reason: "connect"))
                == .connection("the host cannot be reached from this machine"))
        guard case .connection(let other) = Transport.classify(IOError(errnoCode: EACCES, reason: "connect")) else {
            Issue.record("EACCES is not a connection failure")
            return
        }
        #expect(other == "the connection failed (\(String(cString: strerror(EACCES))))")
    }

    @Test func clientAndChannelErrorsAreNamedByValue() {
        for timeout in [HTTPClientError.readTimeout, .connectTimeout, .deadlineExceeded, .tlsHandshakeTimeout] {
            #expect(Transport.classify(timeout) == .timeout, "\(timeout)")
        }
        let closed = Transport.Failure.connection("the server closed the connection before the response was complete")
        #expect(Transport.classify(HTTPClientError.remoteConnectionClosed) == closed)
        #expect(Transport.classify(ChannelError.eof) == closed)
        #expect(Transport.classify(ChannelError.ioOnClosedChannel) == closed)
        #expect(Transport.classify(ChannelError.connectTimeout(.seconds(10))) == .timeout)
    }

    @Test func tlsErrorsSayWhetherTheCertificateWasRefused() {
        #expect(Transport.classify(NIOSSLExtraError.failedToValidateHostname) == .tls(certificate: true))
        #expect(Transport.classify(NIOSSLError.unableToValidateCertificate) == .tls(certificate: true))
        #expect(Transport.classify(NIOSSLError.handshakeFailed(.sslError([.eofDuringHandshake]))) == .tls(certificate: false))
        #expect(Transport.classify(NIOSSLError.readInInvalidTLSState) == .tls(certificate: false))
    }

    @Test func anUnknownErrorIsNotReadForKeywords() {
        #expect(Transport.classify(Misleading()) == .connection("the connection failed (Misleading)"))
    }
}
