package io.chorus.integration.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which hosts and addresses Chorus may call: SSRF protection for {@link Outbound}. A host must be
 * written as a proper DNS name or a canonical IP literal (no {@code 2130706433}, {@code 0177.0.0.1},
 * {@code 0x7f.1}, {@code 127.1}: resolvers disagree about those spellings), and every address it
 * stands for must be public, unless the operator's allow-list names it.
 */
final class AddressPolicy {

    // Before the ranges below, which are parsed with them.
    private static final Pattern DOTTED_DIGITS = Pattern.compile("[0-9.]+");
    private static final Pattern CANONICAL_OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** A last label no top-level domain has: all digits or hex, what inet_aton reads as a number. */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");

    /** Addresses nobody on the internet can legitimately be, or that reach inside: refused unless allowed. */
    private static final List<Cidr> REFUSED = Cidr.all(
            "0.0.0.0/8",          // "this network"; 0.0.0.0 connects to the local host on Linux
            "10.0.0.0/8",         // private
            "100.64.0.0/10",      // carrier-grade NAT
            "127.0.0.0/8",        // loopback
            "169.254.0.0/16",     // link-local, cloud metadata (169.254.169.254)
            "172.16.0.0/12",      // private
            "192.0.0.0/24",       // IETF protocol assignments
            "192.0.2.0/24",       // documentation
            "192.88.99.0/24",     // 6to4 relay anycast
            "192.168.0.0/16",     // private
            "198.18.0.0/15",      // benchmarking
            "198.51.100.0/24",    // documentation
            "203.0.113.0/24",     // documentation
            "224.0.0.0/4",        // multicast
            "240.0.0.0/4",        // reserved, broadcast 255.255.255.255
            "::/96",              // unspecified, loopback, IPv4-compatible
            "64:ff9b::/96",       // NAT64: embeds any IPv4 address, private ones included
            "64:ff9b:1::/48",     // local-use NAT64
            "100::/64",           // discard-only
            "2001::/23",          // IETF protocol assignments: Teredo (embeds IPv4), benchmarking, ORCHID
            "2001:db8::/32",      // documentation
            "2002::/16",          // 6to4: embeds any IPv4 address, private ones included
            "3fff::/20",          // documentation
            "5f00::/16",          // segment routing
            "fc00::/7",           // unique local (private), AWS metadata fd00:ec2::254
            "fe80::/10",          // link-local
            "fec0::/10",          // site-local (deprecated, still routed inside some networks)
            "ff00::/8");          // multicast

    /** Cloud metadata services: refused even when the allow-list covers their range, they hand out credentials. */
    private static final List<Cidr> METADATA = Cidr.all(
            "169.254.169.254/32", "169.254.170.2/32", "100.100.100.200/32", "fd00:ec2::254/128");

    private final List<Cidr> allowedRanges = new ArrayList<>();
    private final Set<String> allowedHosts;

    /** @param allow CIDRs, single addresses or host names an operator allows although they are not public */
    AddressPolicy(List<String> allow) {
        List<String> hosts = new ArrayList<>();
        for (String entry : allow) {
            String trimmed = entry.trim().toLowerCase(Locale.ROOT);
            if (trimmed.contains("/") || literal(trimmed) != null) {
                allowedRanges.add(Cidr.parse(trimmed));
            } else if (hostNameRefusal(trimmed) == null) {
                hosts.add(trimmed);
            } else {
                throw new IllegalArgumentException("Not a CIDR, address or host name in the outbound allow-list: " + entry);
            }
        }
        allowedHosts = Set.copyOf(hosts);
    }

    /**
     * The address a host written as an IP literal stands for, without any DNS lookup, or null when
     * it is not a literal (then it must pass {@link #hostNameRefusal}).
     *
     * @param host as {@link java.net.URI#getHost()} gives it, IPv6 in brackets
     * @throws IllegalArgumentException when it is a literal in a spelling we refuse
     */
    static InetAddress literal(String host) {
        if (host.startsWith("[") || host.contains(":")) {
            String text = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            if (text.contains("%") || text.contains("/")) {
                throw new IllegalArgumentException("IPv6 literal with a zone");
            }
            InetAddress address = parseIpv6(text);
            if (address instanceof Inet4Address) {
                // Java reads ::ffff:a.b.c.d as the IPv4 address it maps: an odd way to write an IPv4 target
                throw new IllegalArgumentException("IPv4-mapped IPv6 literal");
            }
            return address;
        }
        if (!DOTTED_DIGITS.matcher(host).matches()) {
            return null;
        }
        String[] octets = host.split("\\.", -1);
        if (octets.length != 4) {
            throw new IllegalArgumentException("IPv4 literal that is not a dotted quad");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!CANONICAL_OCTET.matcher(octets[i]).matches() || Integer.parseInt(octets[i]) > 255) {
                throw new IllegalArgumentException("IPv4 literal with a non-canonical part");
            }
            bytes[i] = (byte) Integer.parseInt(octets[i]);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why a host that is not an IP literal cannot be a DNS name we call, or null when it can. */
    static String hostNameRefusal(String host) {
        if (host.length() > 253) {
            return "host name too long";
        }
        String[] labels = host.toLowerCase(Locale.ROOT).split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return "not a host name";
            }
        }
        if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
            return "numeric host spelling";
        }
        return null;
    }

    /**
     * Why Chorus may not connect to {@code address} (which {@code host} resolved to, or is), or
     * null when it may.
     */
    String addressRefusal(String host, InetAddress address) {
        for (Cidr metadata : METADATA) {
            if (metadata.contains(address)) {
                return "cloud metadata address";
            }
        }
        if (allowedHosts.contains(host.toLowerCase(Locale.ROOT))
                || allowedRanges.stream().anyMatch(range -> range.contains(address))) {
            return null;
        }
        // The JDK's own predicates as well, in case a range is missing from the list above
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return "not a public address";
        }
        if (address instanceof Inet6Address && isIpv4Mapped(address.getAddress())) {
            // Java reads ::ffff:a.b.c.d as IPv4 wherever it parses one; an Inet6Address carrying it is odd
            return "IPv4-mapped address";
        }
        for (Cidr refused : REFUSED) {
            if (refused.contains(address)) {
                return "not a public address";
            }
        }
        return null;
    }

    /** ::ffff:0:0/96. */
    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    /** An IPv6 literal only: with a ':' and nothing but hex digits and dots, the JDK never asks DNS. */
    private static InetAddress parseIpv6(String literal) {
        if (!literal.contains(":") || !literal.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP literal");
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal");
        }
    }

    /** An address range. */
    private record Cidr(byte[] network, int prefix) {

        static List<Cidr> all(String... ranges) {
            return java.util.Arrays.stream(ranges).map(Cidr::parse).toList();
        }

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            InetAddress parsed = address.contains(":") ? parseIpv6(address) : literal(address);
            if (parsed == null) {
                throw new IllegalArgumentException("Not an IP address: " + address);
            }
            byte[] bytes = parsed.getAddress();
            int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("Prefix out of range: " + text);
            }
            return new Cidr(bytes, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest);
            return (bytes[whole] & mask) == (network[whole] & mask);
        }
    }
}
