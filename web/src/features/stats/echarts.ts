// The chart library, registered piece by piece so only what the dashboard draws is bundled. This module is only
// ever imported dynamically: ECharts stays out of the first load.
import { BarChart, LineChart } from "echarts/charts";
import { DatasetComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, DatasetComponent, CanvasRenderer]);

export type { EChartsCoreOption } from "echarts/core";
export { echarts };
