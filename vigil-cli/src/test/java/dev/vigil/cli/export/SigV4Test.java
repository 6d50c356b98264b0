package dev.vigil.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * AWS Signature Version 4 against AWS's published examples: the S3 API reference's "Examples:
 * Signature Calculations" (header-based authentication, payload signed) and the SigV4 test suite's
 * {@code get-vanilla}. Each expected signature is the one AWS's documentation prints.
 */
class SigV4Test {
  private static final SigV4.Credentials S3_DOCS =
      new SigV4.Credentials(
          "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null);
  private static final String EMPTY =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final String HOST = "examplebucket.s3.amazonaws.com";

  private static Map<String, String> headers(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void s3GetObject_canonicalRequestAndSignature_matchTheDocumentedExample() {
    Map<String, String> h =
        headers(
            "Host",
            HOST,
            "Range",
            "bytes=0-9",
            "x-amz-content-sha256",
            EMPTY,
            "x-amz-date",
            "20130524T000000Z");
    String canonical =
        SigV4.canonicalRequest("GET", "/test.txt", "", SigV4.canonicalHeaders(h), EMPTY);
    assertThat(canonical)
        .isEqualTo(
            """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""");
    assertThat(SigV4.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
    assertThat(
            SigV4.authorization(
                S3_DOCS, "us-east-1", "s3", "GET", "/test.txt", "", h, EMPTY, "20130524T000000Z"))
        .isEqualTo(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + " SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                + " Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  }

  @Test
  void s3PutObject_withASignedPayloadAndAnEncodedKey_matchesTheDocumentedSignature() {
    byte[] body = "Welcome to Amazon S3.".getBytes(StandardCharsets.UTF_8);
    String hash = SigV4.sha256Hex(body);
    assertThat(hash).isEqualTo("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
    assertThat(SigV4.uriEncode("/test$file.text", true)).isEqualTo("/test%24file.text");
    Map<String, String> h =
        headers(
            "Date", "Fri, 24 May 2013 00:00:00 GMT",
            "Host", HOST,
            "x-amz-date", "20130524T000000Z",
            "x-amz-storage-class", "REDUCED_REDUNDANCY",
            "x-amz-content-sha256", hash);
    assertThat(
            SigV4.authorization(
                S3_DOCS,
                "us-east-1",
                "s3",
                "PUT",
                SigV4.uriEncode("/test$file.text", true),
                "",
                h,
                hash,
                "20130524T000000Z"))
        .endsWith(
            "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
                + " Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
  }

  @Test
  void s3GetBucketLifecycle_andListObjects_signTheirQueries() {
    Map<String, String> h =
        headers("Host", HOST, "x-amz-content-sha256", EMPTY, "x-amz-date", "20130524T000000Z");
    assertThat(
            SigV4.authorization(
                S3_DOCS, "us-east-1", "s3", "GET", "/", "lifecycle=", h, EMPTY, "20130524T000000Z"))
        .endsWith("Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
    assertThat(
            SigV4.authorization(
                S3_DOCS,
                "us-east-1",
                "s3",
                "GET",
                "/",
                "max-keys=2&prefix=J",
                h,
                EMPTY,
                "20130524T000000Z"))
        .endsWith("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
  }

  @Test
  void testSuiteGetVanilla_matchesItsAuthorizationHeader() {
    SigV4.Credentials suite =
        new SigV4.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    Map<String, String> h =
        headers("Host", "example.amazonaws.com", "X-Amz-Date", "20150830T123600Z");
    assertThat(
            SigV4.authorization(
                suite, "us-east-1", "service", "GET", "/", "", h, EMPTY, "20150830T123600Z"))
        .isEqualTo(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
                + " SignedHeaders=host;x-amz-date,"
                + " Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  }

  @Test
  void uriEncode_keepsUnreservedOnly() {
    assertThat(SigV4.uriEncode("a b+c/é~", false)).isEqualTo("a%20b%2Bc%2F%C3%A9~");
    assertThat(SigV4.uriEncode("p/x y.csv", true)).isEqualTo("p/x%20y.csv");
  }

  @Test
  void credentials_neverPrintTheSecret() {
    assertThat(new SigV4.Credentials("AK", "topsecret", "tok").toString())
        .doesNotContain("topsecret")
        .doesNotContain("tok");
  }
}
