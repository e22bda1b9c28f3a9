package org.syncproducts.images;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.Dns;

/**
 * The name resolver of image downloads unless {@code sync.images_allow_private_hosts} is set: a
 * host that resolves to a loopback, link-local, private, shared (100.64/10), unique-local or
 * unspecified address is refused, so URLs in product data cannot make the tool fetch (and publish)
 * what only the machine running it can reach. Redirects resolve through it too.
 */
public final class PublicHostsOnly implements Dns {
    /** A host refused because it resolves to a non-public address. */
    public static final class PrivateAddressException extends UnknownHostException {
        private static final long serialVersionUID = 1L;

        PrivateAddressException(String message) {
            super(message);
        }
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        List<InetAddress> addresses = Dns.SYSTEM.lookup(hostname);
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                throw new PrivateAddressException(hostname + " resolves to the non-public address "
                        + address.getHostAddress() + "; set sync.images_allow_private_hosts: true to fetch images "
                        + "from private networks");
            }
        }
        return addresses;
    }

    static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) != 0xfc; // fc00::/7, unique local
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        return first != 0 && !(first == 100 && second >= 64 && second < 128) && first < 240;
    }
}
