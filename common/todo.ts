/** GET /api/todo: what waits for the caller's union, counted (the 待办 panel and the side menu's badges). */
export interface TodoCounts {
  /** 入会申请 waiting for review (待审核) in the caller's jurisdiction */
  applications: number
  /** of those still open (待审核, 需补充材料), the ones past their 办理期限 */
  overdueApplications: number
  /** 接转 the caller's side has to answer */
  transfers: number
  /** report rounds of the caller's own union to fill in and submit (填报中, 已退回) */
  roundsToSubmit: number
  /** of those, the ones past their 报送截止日期 (逾期) */
  overdueRoundsToSubmit: number
  /** report rounds of the unions below submitted for the caller's approval */
  roundsToApprove: number
  /** report rounds of the units below past their 报送截止日期 and not submitted (逾期未报: to 催报) */
  overdueRoundsBelow: number
  /** unread messages of the caller's union */
  unreadMessages: number
  /** the side menu's badges by entry: applications, transfers, rounds, and total (everything to act on) */
  menu: Record<string, number>
}
