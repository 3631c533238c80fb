package io.sigil.sync;

import io.smallrye.common.net.CidrAddress;
import io.smallrye.common.net.Inet;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where remotes may connect. Addresses inside the server's own networks (loopback, link-local, private ranges,
 * unique-local IPv6, the cloud metadata address and other special ranges) are refused unless
 * {@code sigil.remotes.allowed-networks} lists them, so that a remote cannot be used to probe or reach what only
 * Sigil can reach. Checked when a remote is saved ({@link #refusal}), before every request and redirect hop
 * ({@link #requireAllowed}), and again on every new connection through the upstream client's {@link #dnsResolver()}:
 * DNS answers change between the check and the connection.
 */
@ApplicationScoped
public class OutboundAddresses {

    private record Range(CidrAddress network, String kind) {
    }

    /**
     * Special-purpose ranges (RFC 6890 and cloud metadata), each with the name a refusal gives it; the most specific
     * match names an address. A list, not smallrye's CidrAddressTable, which drops fe80::/10 once fec0::/10 is added.
     */
    private static final List<Range> REFUSED = new ArrayList<>();

    static {
        refuse("0.0.0.0/8", "a 'this network' address");
        refuse("10.0.0.0/8", "a private address");
        refuse("100.64.0.0/10", "a shared (carrier-grade NAT) address");
        refuse("127.0.0.0/8", "a loopback address");
        refuse("169.254.0.0/16", "a link-local address");
        refuse("169.254.169.254/32", "the cloud metadata address");
        refuse("172.16.0.0/12", "a private address");
        refuse("192.0.0.0/24", "an IETF protocol address");
        refuse("192.168.0.0/16", "a private address");
        refuse("198.18.0.0/15", "a benchmarking address");
        refuse("224.0.0.0/4", "a multicast address");
        refuse("240.0.0.0/4", "a reserved address");
        refuse("::/128", "the unspecified address");
        refuse("::1/128", "a loopback address");
        refuse("fc00::/7", "a unique-local address");
        refuse("fd00:ec2::254/128", "the cloud metadata address");
        refuse("fe80::/10", "a link-local address");
        refuse("fec0::/10", "a site-local address");
        refuse("ff00::/8", "a multicast address");
    }

    /** IPv6 ranges that carry an IPv4 address: judged by the address they carry. */
    private static final List<CidrAddress> EMBEDDING_IPV4 = List.of(Inet.parseCidrAddress("::/96"),
            Inet.parseCidrAddress("64:ff9b::/96"));
    private static final CidrAddress SIX_TO_FOUR = Inet.parseCidrAddress("2002::/16");
    /** A last label that is a number: the host is an IP address in some notation, never a name. */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("(?i)(0x[0-9a-f]*|[0-9]+)");

    private final List<CidrAddress> allowed;

    OutboundAddresses(@ConfigProperty(name = "sigil.remotes.allowed-networks") Optional<List<String>> allowedNetworks) {
        this.allowed = allowedNetworks.orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(OutboundAddresses::network).toList();
    }

    /** A host's address that remotes may not reach: what {@link #dnsResolver()} throws, and is never retried. */
    static final class RefusedAddressException extends UnknownHostException {
        RefusedAddressException(String message) {
            super(message);
        }
    }

    /**
     * Why {@code uri} may not be used: its host is an IP address in an ambiguous notation, or every address it
     * resolves to is refused. A host that does not resolve here passes (a proxy may resolve it, and it is checked
     * again whenever a connection is made).
     *
     * @return the refusal, in words, or empty when the URI may be used
     */
    Optional<String> refusal(URI uri) {
        String host = uri.getHost() == null ? null : unbracketed(uri.getHost());
        if (host == null) {
            return Optional.of(uri + " names no host");
        }
        if (isAmbiguousNumeric(host)) {
            return Optional.of(host + " is an IP address in a notation programs read differently; "
                    + "write it as four decimal numbers without leading zeros");
        }
        try {
            permitted(host, InetAddress.getAllByName(host));
            return Optional.empty();
        } catch (RefusedAddressException e) {
            return Optional.of(e.getMessage());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Throws, before anything connects, when {@link #refusal} refuses {@code uri}. */
    void requireAllowed(URI uri) throws RefusedAddressException {
        Optional<String> refusal = refusal(uri);
        if (refusal.isPresent()) {
            throw new RefusedAddressException(refusal.get());
        }
    }

    /** Resolves like the system, keeping only addresses remotes may reach; none left is a refusal. */
    DnsResolver dnsResolver() {
        return new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return permitted(host, SystemDefaultDnsResolver.INSTANCE.resolve(unbracketed(host)));
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
            }
        };
    }

    private InetAddress[] permitted(String host, InetAddress[] resolved) throws RefusedAddressException {
        List<InetAddress> kept = new ArrayList<>();
        String firstRefusal = null;
        for (InetAddress address : resolved) {
            Optional<String> refusal = refusal(host, address);
            if (refusal.isEmpty()) {
                kept.add(address);
            } else if (firstRefusal == null) {
                firstRefusal = refusal.get();
            }
        }
        if (kept.isEmpty()) {
            throw new RefusedAddressException(firstRefusal != null ? firstRefusal : host + " resolves to no address");
        }
        return kept.toArray(InetAddress[]::new);
    }

    private Optional<String> refusal(String host, InetAddress address) {
        if (allowed.stream().anyMatch(network -> network.matches(address))) {
            return Optional.empty();
        }
        return kindOf(address).map(kind -> {
            String where = host.equalsIgnoreCase(Inet.toOptimalString(address)) ? host
                    : host + " (" + Inet.toOptimalString(address) + ")";
            return where + " is " + kind + ", which remotes may not reach; an administrator can allow it in "
                    + "sigil.remotes.allowed-networks";
        });
    }

    /** What kind of special address this is, or empty for an ordinary public one. */
    static Optional<String> kindOf(InetAddress address) {
        Optional<String> kind = REFUSED.stream().filter(range -> range.network().matches(address))
                .max(Comparator.comparingInt(range -> range.network().getNetmaskBits())).map(Range::kind);
        if (kind.isPresent()) {
            return kind;
        }
        return embeddedIpv4(address).flatMap(v4 -> kindOf(v4).map(k -> k + " carried in an IPv6 address"));
    }

    private static Optional<Inet4Address> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] bytes = address.getAddress();
        if (EMBEDDING_IPV4.stream().anyMatch(range -> range.matches(address))) {
            return Optional.of(Inet.getInet4Address(bytes[12] & 0xff, bytes[13] & 0xff, bytes[14] & 0xff, bytes[15] & 0xff));
        }
        if (SIX_TO_FOUR.matches(address)) {
            return Optional.of(Inet.getInet4Address(bytes[2] & 0xff, bytes[3] & 0xff, bytes[4] & 0xff, bytes[5] & 0xff));
        }
        return Optional.empty();
    }

    /**
     * {@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1} or {@code 127.1}: numbers that resolvers turn into
     * different addresses (Java reads {@code 0177} as decimal, C's inet_aton as octal), so they are never trusted.
     */
    static boolean isAmbiguousNumeric(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.contains(":")) {
            return false; // IPv6, read the same way everywhere
        }
        String lastLabel = name.substring(name.lastIndexOf('.') + 1);
        if (!NUMERIC_LABEL.matcher(lastLabel).matches()) {
            return false;
        }
        Inet4Address parsed = Inet.parseInet4Address(name);
        return parsed == null || !Inet.toOptimalString(parsed).equals(name);
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static void refuse(String cidr, String kind) {
        REFUSED.add(new Range(Inet.parseCidrAddress(cidr), kind));
    }

    private static CidrAddress network(String cidr) {
        CidrAddress network = Inet.parseCidrAddress(cidr.toLowerCase(Locale.ROOT));
        if (network == null) {
            throw new IllegalArgumentException("sigil.remotes.allowed-networks: '" + cidr
                    + "' is not a network in CIDR notation (e.g. 10.1.0.0/16 or fd12::/64)");
        }
        return network;
    }
}
