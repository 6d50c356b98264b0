package dev.vigil.ingest.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.ingest.influx.LineProtocolParser.FieldType;
import dev.vigil.ingest.influx.LineProtocolParser.Point;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineProtocolParserTest {
  @Test
  void docsExample_measurementTagsFieldsTimestamp() {
    Point p =
        LineProtocolParser.parse(
            "myMeasurement,tag1=value1,tag2=value2 fieldKey=\"fieldValue\" 1556813561098000000");
    assertThat(p.measurement()).isEqualTo("myMeasurement");
    assertThat(p.tags()).containsExactly("tag1", "value1", "tag2", "value2");
    assertThat(p.fields()).hasSize(1);
    assertThat(p.fields().get(0).type()).isEqualTo(FieldType.STRING);
    assertThat(p.fields().get(0).text()).isEqualTo("fieldValue");
    assertThat(p.timestamp()).isEqualTo(1556813561098000000L);
  }

  @Test
  void docsEscapingExamples() {
    assertThat(LineProtocolParser.parse("my\\ Measurement fieldKey=\"string value\"").measurement())
        .isEqualTo("my Measurement");
    assertThat(
            LineProtocolParser.parse("myMeasurement fieldKey=\"\\\"string\\\" within a string\"")
                .fields()
                .get(0)
                .text())
        .isEqualTo("\"string\" within a string");
    assertThat(
            LineProtocolParser.parse(
                    "myMeasurement,tag\\ Key1=tag\\ Value1,tag\\ Key2=tag\\ Value2 fieldKey=100")
                .tags())
        .containsExactly("tag Key1", "tag Value1", "tag Key2", "tag Value2");
    Point emoji =
        LineProtocolParser.parse(
            "myMeasurement,tagKey=🍭 fieldKey=\"Launch 🚀\" 1556813561098000000");
    assertThat(emoji.tags()).containsExactly("tagKey", "🍭");
    assertThat(emoji.fields().get(0).text()).isEqualTo("Launch 🚀");
    assertThat(LineProtocolParser.parse("cpu,k\\=x=v\\,w f\\=1=1").tags())
        .containsExactly("k=x", "v,w");
    assertThat(LineProtocolParser.parse("cpu,k\\=x=v\\,w f\\=1=1").fields().get(0).key())
        .isEqualTo("f=1");
    // A backslash before any other character is literal.
    assertThat(LineProtocolParser.parse("c\\d f=1").measurement()).isEqualTo("c\\d");
  }

  @Test
  void docsFieldTypes() {
    List<LineProtocolParser.Field> f =
        LineProtocolParser.parse(
                "m a=1.0,b=1,c=-1.234456e+78,d=1i,e=12485903u,g=true,h=F,i=FALSE,j=t,k=\"x\"")
            .fields();
    assertThat(f)
        .extracting(LineProtocolParser.Field::type)
        .containsExactly(
            FieldType.FLOAT,
            FieldType.FLOAT,
            FieldType.FLOAT,
            FieldType.INTEGER,
            FieldType.UNSIGNED,
            FieldType.BOOLEAN,
            FieldType.BOOLEAN,
            FieldType.BOOLEAN,
            FieldType.BOOLEAN,
            FieldType.STRING);
    assertThat(f)
        .extracting(LineProtocolParser.Field::value)
        .startsWith(1.0, 1.0, -1.234456e+78, 1.0, 12485903.0, 1.0, 0.0, 0.0, 1.0);
  }

  @Test
  void unsignedAbove2pow63_keepsItsMagnitude() {
    assertThat(LineProtocolParser.parse("m u=18446744073709551615u").fields().get(0).value())
        .isEqualTo(1.8446744073709552e19);
  }

  @Test
  void noTimestamp_isNull() {
    assertThat(LineProtocolParser.parse("cpu value=1").timestamp()).isNull();
    assertThat(LineProtocolParser.parse("cpu value=1  ").timestamp()).isNull();
  }

  @Test
  void errors_nameTheProblemAndColumn() {
    assertThatThrownBy(() -> LineProtocolParser.parse("cpu"))
        .hasMessage("missing fields at column 4");
    assertThatThrownBy(() -> LineProtocolParser.parse("cpu,host=a"))
        .hasMessage("missing fields at column 11");
    assertThatThrownBy(() -> LineProtocolParser.parse("cpu value=abc"))
        .hasMessageContaining("invalid value \"abc\" of field \"value\"")
        .hasMessageContaining("column 11");
    assertThatThrownBy(() -> LineProtocolParser.parse("cpu value=1 12x"))
        .hasMessage("invalid timestamp \"12x\" at column 13");
    assertThatThrownBy(() -> LineProtocolParser.parse("cpu,host value=1"))
        .hasMessageContaining("expected '=' after tag key \"host\"");
    assertThatThrownBy(() -> LineProtocolParser.parse("cpu s=\"open"))
        .hasMessageContaining("unterminated string value of field \"s\"");
    assertThatThrownBy(() -> LineProtocolParser.parse("cpu value=1 1 2"))
        .hasMessageContaining("unexpected text after the timestamp");
    assertThatThrownBy(() -> LineProtocolParser.parse("cpu u=-1u"))
        .hasMessageContaining("negative unsigned");
    assertThatThrownBy(() -> LineProtocolParser.parse(",host=a v=1"))
        .hasMessageContaining("missing measurement");
    assertThatThrownBy(() -> LineProtocolParser.parse("cpu v="))
        .hasMessageContaining("missing value of field \"v\"");
    assertThatThrownBy(() -> LineProtocolParser.parse("cpu i=9223372036854775808i"))
        .hasMessageContaining("invalid value");
  }
}
