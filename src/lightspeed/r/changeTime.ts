/**
 * When an R-Series sale last changed, in epoch ms (its version and the poll cursor), or NaN when it says
 * nowhere readable. The API reference spells the field `updatetime`, Lightspeed's own Sales tutorial
 * `updateTime`: both are read; `timeStamp` (also moved on every change) is the last resort.
 */
export function rChangeTime(sale: { updatetime?: string | null; updateTime?: string | null; timeStamp?: string | null }): number {
  for (const value of [sale.updatetime, sale.updateTime, sale.timeStamp]) {
    const ms = value ? Date.parse(value) : NaN;
    if (Number.isFinite(ms)) return ms;
  }
  return NaN;
}

export const UNREADABLE_CHANGE_TIME = 'no readable change time (updatetime, updateTime or timeStamp)';
