package dev.vigil.collectors.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcParsersTest {
  private final ProcFs proc = Fixtures.procfs();

  @Test
  void cpuStat_recordedFile_givesTicksPerModeAndCounters() {
    CpuStat s = CpuStat.parse(proc.read("stat"));
    assertThat(s.total().cpu()).isEqualTo(-1);
    assertThat(s.total().ticks()).startsWith(4586, 0, 1863, 38633, 178, 0, 30, 9, 0, 0);
    assertThat(s.total().seconds(CpuStat.USER)).isEqualTo(45.86);
    assertThat(s.perCpu()).extracting(CpuStat.Cpu::cpu).containsExactly(0, 1);
    assertThat(s.perCpu().get(1).ticks()[CpuStat.IOWAIT]).isEqualTo(160);
    assertThat(s.contextSwitches()).isEqualTo(381111);
    assertThat(s.bootTimeSeconds()).isEqualTo(1795610175L);
    assertThat(s.forks()).isEqualTo(7770);
    assertThat(s.procsRunning()).isEqualTo(1);
    assertThat(s.procsBlocked()).isZero();
    assertThat(s.interrupts()).isPositive();
    assertThat(s.total().totalTicks()).isEqualTo(4586 + 1863 + 38633 + 178 + 30 + 9);
  }

  @Test
  void cpuStat_oldKernelWithFewerColumns_readsMissingModesAsZero() {
    CpuStat s = CpuStat.parse("cpu 1 2 3 4\ncpu0 1 2 3 4\n");
    assertThat(s.total().ticks()).containsExactly(1, 2, 3, 4, 0, 0, 0, 0, 0, 0);
  }

  @Test
  void cpuStat_malformed_namesLineAndField() {
    assertThatThrownBy(() -> CpuStat.parse("cpu 1 2 x 4\n"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("/proc/stat line 1")
        .hasMessageContaining("x");
    assertThatThrownBy(() -> CpuStat.parse("ctxt 5\n"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("no aggregate 'cpu' line");
  }

  @Test
  void memInfo_recordedFile_convertsKilobytesAndKeepsCounts() {
    MemInfo m = MemInfo.parse(proc.read("meminfo"));
    assertThat(m.bytes("MemTotal")).isEqualTo(24684092L * 1024);
    assertThat(m.bytes("MemAvailable")).isEqualTo(24259784L * 1024);
    assertThat(m.bytes("Active(anon)")).isEqualTo(1560L * 1024);
    assertThat(m.isBytes("HugePages_Total")).isFalse();
    assertThat(m.bytes("HugePages_Total")).isZero();
    assertThat(m.bytes("NoSuchField")).isEqualTo(-1);
    assertThat(m.used()).isEqualTo((24684092L - 24259784L) * 1024);
    assertThat(m.values()).hasSize(54);
  }

  @Test
  void memInfo_withoutMemAvailable_estimatesFromFreeBuffersCached() {
    MemInfo m = MemInfo.parse("MemTotal: 100 kB\nMemFree: 10 kB\nBuffers: 5 kB\nCached: 20 kB\n");
    assertThat(m.available()).isEqualTo(35 * 1024);
    assertThatThrownBy(() -> MemInfo.parse("MemTotal: lots kB"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("MemTotal");
  }

  @Test
  void loadAvg_recordedFile() {
    LoadAvg l = LoadAvg.parse(proc.read("loadavg"));
    assertThat(l.load1()).isGreaterThanOrEqualTo(0);
    LoadAvg x = LoadAvg.parse("0.23 0.07 0.02 3/102 5979\n");
    assertThat(x.load1()).isEqualTo(0.23);
    assertThat(x.load15()).isEqualTo(0.02);
    assertThat(x.runnable()).isEqualTo(3);
    assertThat(x.threads()).isEqualTo(102);
    assertThat(x.lastPid()).isEqualTo(5979);
    assertThatThrownBy(() -> LoadAvg.parse("0.1 0.2"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("/proc/loadavg");
  }

  @Test
  void diskStats_defaultExclude_dropsLoopRamAndPartitions() {
    List<DiskStats.Device> all = DiskStats.parse(proc.read("diskstats"), null);
    assertThat(all).hasSize(10);
    List<DiskStats.Device> kept =
        DiskStats.parse(proc.read("diskstats"), DiskStats.DEFAULT_EXCLUDE);
    assertThat(kept).extracting(DiskStats.Device::name).containsExactly("vda");
    assertThat(
            DiskStats.parse(
                    "8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n8 1 sda1 1 2 3 4 5 6 7 8 9 10 11\n"
                        + "259 0 nvme0n1 1 2 3 4 5 6 7 8 9 10 11\n259 1 nvme0n1p1 1 2 3 4 5 6 7 8 9 10 11\n",
                    DiskStats.DEFAULT_EXCLUDE)
                .stream()
                .map(DiskStats.Device::name))
        .containsExactly("sda", "nvme0n1");
  }

  @Test
  void diskStats_fields_mapInKernelOrder() {
    DiskStats.Device d =
        DiskStats.parse(
                " 254       0 vda 11734 6220 1208010 3021 5127 5485 2100464 4163 0 1756 7392 3413 10 62576 180 849 26\n",
                null)
            .get(0);
    assertThat(d.major()).isEqualTo(254);
    assertThat(d.readsCompleted()).isEqualTo(11734);
    assertThat(d.readsMerged()).isEqualTo(6220);
    assertThat(d.sectorsRead()).isEqualTo(1208010);
    assertThat(d.readTimeMs()).isEqualTo(3021);
    assertThat(d.writesCompleted()).isEqualTo(5127);
    assertThat(d.sectorsWritten()).isEqualTo(2100464);
    assertThat(d.ioInProgress()).isZero();
    assertThat(d.ioTimeMs()).isEqualTo(1756);
    assertThat(d.weightedIoTimeMs()).isEqualTo(7392);
    assertThat(d.discardsCompleted()).isEqualTo(3413);
    assertThat(d.sectorsDiscarded()).isEqualTo(62576);
    assertThat(d.flushesCompleted()).isEqualTo(849);
    assertThat(d.flushTimeMs()).isEqualTo(26);
    assertThatThrownBy(() -> DiskStats.parse("8 0 sda 1 2\n", null))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("line 1");
  }

  @Test
  void netDev_recordedFile_givesReceiveAndTransmitCounters() {
    List<NetDev.Interface> ifs = NetDev.parse(proc.read("net/dev"), null);
    assertThat(ifs)
        .extracting(NetDev.Interface::name)
        .containsExactly("lo", "ifb0", "ifb1", "eth0");
    NetDev.Interface lo = ifs.get(0);
    assertThat(lo.receive()[NetDev.BYTES]).isEqualTo(lo.transmit()[NetDev.BYTES]);
    assertThat(lo.receive()[NetDev.PACKETS]).isPositive();
    assertThat(NetDev.parse(proc.read("net/dev"), java.util.regex.Pattern.compile("ifb\\d+")))
        .extracting(NetDev.Interface::name)
        .containsExactly("lo", "eth0");
    assertThatThrownBy(() -> NetDev.parse("h\nh\neth0: 1 2 3\n", null))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("eth0");
  }

  @Test
  void processStat_commWithSpacesAndParens_parsesFieldsAfterLastParen() {
    ProcessStat s = ProcessStat.parse(proc.read("self/stat"));
    assertThat(s.comm()).isEqualTo("cat");
    assertThat(s.state()).isEqualTo('R');
    assertThat(s.startTicks()).isEqualTo(22778);
    assertThat(s.vsizeBytes()).isEqualTo(3133440);
    assertThat(s.rssPages()).isEqualTo(414);
    String weird = "42 (a) b (c) S 1 42 42 0 -1 0 0 0 0 0 250 150 0 0 20 0 7 0 1000 4096 3 0\n";
    ProcessStat w = ProcessStat.parse(weird);
    assertThat(w.pid()).isEqualTo(42);
    assertThat(w.comm()).isEqualTo("a) b (c");
    assertThat(w.cpuSeconds()).isCloseTo(4.0, within(1e-9));
    assertThat(w.threads()).isEqualTo(7);
    assertThat(w.startTimeSeconds(1_000_000)).isEqualTo(1_000_010.0);
  }

  @Test
  void processStatus_readsVmSizeRssThreadsInBytes() {
    ProcessStatus s = ProcessStatus.parse(proc.read("self/status"));
    assertThat(s.virtualBytes()).isEqualTo(3060L * 1024);
    assertThat(s.residentBytes()).isEqualTo(1736L * 1024);
    assertThat(s.threads()).isEqualTo(1);
    assertThat(ProcessStatus.parse("Name: kthreadd\n").residentBytes()).isEqualTo(-1);
  }

  @Test
  void mounts_defaultExcludes_keepRealFilesystemsOnce() {
    List<Mounts.Mount> m =
        Mounts.parse(
            proc.read("self/mounts"),
            Mounts.DEFAULT_EXCLUDE_FS_TYPES,
            Mounts.DEFAULT_EXCLUDE_MOUNT_POINTS);
    assertThat(m)
        .extracting(Mounts.Mount::mountPoint)
        .containsExactly("/", "/mnt/sandboxing/model_tools_env/v1/python");
    assertThat(m.get(0).fsType()).isEqualTo("ext4");
    assertThat(m.get(0).device()).isEqualTo("/dev/vda");
    assertThat(m.get(0).readOnly()).isFalse();
    assertThat(m.get(1).readOnly()).isTrue();
  }

  @Test
  void mounts_octalEscapes_areDecoded() {
    List<Mounts.Mount> m = Mounts.parse("/dev/sdb1 /media/my\\040disk vfat rw 0 0\n", null, null);
    assertThat(m.get(0).mountPoint()).isEqualTo("/media/my disk");
    assertThat(Mounts.unescape("a\\134b")).isEqualTo("a\\b");
    assertThat(Mounts.unescape("trailing\\04")).isEqualTo("trailing\\04");
  }

  @Test
  void fileNr_andLimits() {
    FileNr f = FileNr.parse(proc.read("sys/fs/file-nr"));
    assertThat(f.allocated()).isPositive();
    assertThat(f.maximum()).isGreaterThan(f.allocated());
    assertThat(FileNr.maxOpenFiles(proc.read("self/limits"))).isEqualTo(20000);
    assertThat(FileNr.maxOpenFiles("Max open files   unlimited  unlimited files\n")).isEqualTo(-1);
  }
}
