package dev.vigil.server.tls;

import java.io.ByteArrayOutputStream;

/**
 * Just enough DER to wrap PKCS#1 RSA and SEC1 EC private keys into PKCS#8, the form the JDK's
 * {@code KeyFactory} reads.
 */
final class Der {
  /** AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
  static final byte[] RSA_ALGORITHM =
      seq(
          new byte[] {
            0x06,
            0x09,
            0x2a,
            (byte) 0x86,
            0x48,
            (byte) 0x86,
            (byte) 0xf7,
            0x0d,
            0x01,
            0x01,
            0x01,
            0x05,
            0x00
          });

  /** The OID of id-ecPublicKey (1.2.840.10045.2.1), tag and length included. */
  private static final byte[] EC_PUBLIC_KEY = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  private Der() {}

  /** PrivateKeyInfo { version 0, algorithm, OCTET STRING key }. */
  static byte[] pkcs8(byte[] algorithm, byte[] key) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(algorithm);
    body.writeBytes(tlv(0x04, key));
    return tlv(0x30, body.toByteArray());
  }

  /**
   * The AlgorithmIdentifier for a SEC1 ECPrivateKey: id-ecPublicKey with the named curve found in
   * its {@code [0] parameters}.
   *
   * @throws IllegalArgumentException when the key is not SEC1 or names no curve
   */
  static byte[] ecAlgorithm(byte[] sec1) {
    int[] pos = {0};
    expect(sec1, pos, 0x30);
    int end = length(sec1, pos) + pos[0];
    while (pos[0] < end) {
      int tag = sec1[pos[0]++] & 0xff;
      int len = length(sec1, pos);
      if (tag == 0xa0) {
        int start = pos[0];
        if ((sec1[start] & 0xff) != 0x06) {
          break;
        }
        byte[] curve = java.util.Arrays.copyOfRange(sec1, start, start + len);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(EC_PUBLIC_KEY);
        b.writeBytes(curve);
        return seq(b.toByteArray());
      }
      pos[0] += len;
    }
    throw new IllegalArgumentException(
        "EC private key names no curve (convert with `openssl pkcs8 -topk8 -nocrypt`)");
  }

  private static void expect(byte[] b, int[] pos, int tag) {
    if (b.length == 0 || (b[pos[0]++] & 0xff) != tag) {
      throw new IllegalArgumentException("private key is not DER");
    }
  }

  private static int length(byte[] b, int[] pos) {
    if (pos[0] >= b.length) {
      throw new IllegalArgumentException("private key is truncated");
    }
    int first = b[pos[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int n = first & 0x7f;
    if (n > 3 || pos[0] + n > b.length) {
      throw new IllegalArgumentException("private key has a bad DER length");
    }
    int len = 0;
    for (int i = 0; i < n; i++) {
      len = (len << 8) | (b[pos[0]++] & 0xff);
    }
    if (pos[0] + len > b.length) {
      throw new IllegalArgumentException("private key is truncated");
    }
    return len;
  }

  private static byte[] seq(byte[] body) {
    return tlv(0x30, body);
  }

  private static byte[] tlv(int tag, byte[] body) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(body.length + 6);
    b.write(tag);
    int n = body.length;
    if (n < 0x80) {
      b.write(n);
    } else if (n < 0x100) {
      b.write(0x81);
      b.write(n);
    } else if (n < 0x10000) {
      b.write(0x82);
      b.write(n >> 8);
      b.write(n);
    } else {
      b.write(0x83);
      b.write(n >> 16);
      b.write(n >> 8);
      b.write(n);
    }
    b.writeBytes(body);
    return b.toByteArray();
  }
}
