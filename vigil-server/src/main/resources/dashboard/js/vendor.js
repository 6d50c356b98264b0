// Apache ECharts, served from the classpath by the server (Maven artifact org.mvnpm:echarts,
// resources under META-INF/resources/_static). No request leaves the machine.
export * from '/_static/echarts/6.0.0/dist/echarts.esm.min.js';
