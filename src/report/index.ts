/** report/: what results look like to a person: text, tables, the `packets` columns, figures. */
export { PACKET_COLUMNS, packetRow, type PacketColumn } from './packet-fields.js';
export { renderInspectText } from './inspect-text.js';
export { renderDevicesText } from './devices-text.js';
export { InferredDayJsonText, inferredDayHeader, inferredDayJson, inferredDayRow, inferredDayText, NO_ACTIVITY_LINE, type InferredActivity, type InferredActivityJson } from './inferred-day.js';
export { renderStudyText } from './study-text.js';
export { renderTimeline, timelineVegaLiteSpec, type TimelinePlotOptions } from './timeline-plot.js';
export { confusionVegaLiteSpec, renderConfusion, type ConfusionPlotOptions } from './confusion-plot.js';
export { predictionVegaLiteSpec, renderPredictionChart, type PredictionChartOptions, type PredictionItem } from './prediction-chart.js';
export { renderVegaLite, svgToPng, vegaLiteToSvg } from './vega-render.js';
export { renderCaptureReport, renderStudyReport, CAPTURE_SECTIONS, STUDY_SECTIONS, type RenderedReport, type ReportFigure, type ReportOptions } from './study-html.js';
export { renderCaptureMarkdown, renderStudyMarkdown } from './study-markdown.js';
export { renderReportJson, REPORT_JSON_FORMAT, REPORT_JSON_VERSION } from './study-json.js';
export { escapeHtml } from './html.js';
export type { CaptureReportInput, DefencesSection, DefenceSetting, StudyReportInput } from './study-report-input.js';
