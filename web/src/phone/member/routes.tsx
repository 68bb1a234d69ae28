import { lazy } from 'react'
import { Route } from 'react-router-dom'

/*
 * The member's phone app (会员端, /m): one lazy page per route, each bringing Ant Design with its
 * chunk. A feature adds its pages here: one lazy import and one <Route> each.
 */
const LoginPage = lazy(() => import('./login-page').then((m) => ({ default: m.MemberLoginPage })))
const HomePage = lazy(() => import('./home-page').then((m) => ({ default: m.MemberHomePage })))
const ActivitiesPage = lazy(() => import('./activities-page').then((m) => ({ default: m.MemberActivitiesPage })))
const ActivityPage = lazy(() => import('./activity-page').then((m) => ({ default: m.MemberActivityPage })))
const MessagesPage = lazy(() => import('./messages-page').then((m) => ({ default: m.MemberMessagesPage })))
const ProposalsPage = lazy(() => import('./proposals-page').then((m) => ({ default: m.MemberProposalsPage })))
const ProposalNewPage = lazy(() => import('./proposal-new-page').then((m) => ({ default: m.MemberProposalNewPage })))
const ProposalPage = lazy(() => import('./proposal-page').then((m) => ({ default: m.MemberProposalPage })))
const ProposalEditPage = lazy(() => import('./proposal-edit-page').then((m) => ({ default: m.MemberProposalEditPage })))
const TransferPage = lazy(() => import('./transfer-page').then((m) => ({ default: m.MemberTransferPage })))

export const memberRoutes = (
  <>
    <Route path="/m/login" element={<LoginPage />} />
    <Route path="/m" element={<HomePage />} />
    <Route path="/m/messages" element={<MessagesPage />} />
    <Route path="/m/activities" element={<ActivitiesPage />} />
    <Route path="/m/activities/:id" element={<ActivityPage />} />
    <Route path="/m/proposals" element={<ProposalsPage />} />
    <Route path="/m/proposals/new" element={<ProposalNewPage />} />
    <Route path="/m/proposals/:id" element={<ProposalPage />} />
    <Route path="/m/proposals/:id/edit" element={<ProposalEditPage />} />
    <Route path="/m/transfer" element={<TransferPage />} />
  </>
)
