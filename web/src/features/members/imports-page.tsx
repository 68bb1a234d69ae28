import { useEffect, useState } from 'react'
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Popconfirm,
  Progress,
  Result,
  Row,
  Space,
  Statistic,
  Steps,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd'
import type { ColumnsType } from 'antd/es/table'
import {
  ArrowLeftOutlined,
  CheckCircleOutlined,
  CloudUploadOutlined,
  DownloadOutlined,
  FileExcelOutlined,
  InboxOutlined,
  ReloadOutlined,
} from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, useSearchParams } from 'react-router-dom'
import dayjs from 'dayjs'
import type { ImportJobView, ImportProblemView } from '../../../../common/api-members'
import { api, type OrgOption } from '../../api/client'
import { feedback } from '../../components/feedback'
import { PageHead } from '../../components/page-head'
import { showError } from '../../components/form-errors'
import { useSave } from '../../components/use-save'
import { useTitle } from '../../components/use-title'
import { ServerTable, usePagedQuery } from '../../components/server-table'
import { canWrite, useUser } from '../auth/auth-context'
import { useCurrentOrg } from '../../app/current-org'
import { UnionSelect } from './union-select'

const jobStatus: Record<ImportJobView['status'], { label: string; color: string }> = {
  checking: { label: '校验中', color: 'processing' },
  checked: { label: '待确认导入', color: 'gold' },
  importing: { label: '导入中', color: 'processing' },
  done: { label: '已完成', color: 'green' },
  failed: { label: '失败', color: 'red' },
}
const kindLabels: Record<string, string> = { error: '错误', elsewhere: '已是他处会员', existing: '已在本会名册' }

/** What differs between the roster import and the enterprise register's (the same jobs, progress and reports). */
type Kind = ImportJobView['kind']
const kindText: Record<
  Kind,
  { title: string; sub: string; template: () => string; list: typeof api.imports; register: string; done: (n: number) => string }
> = {
  roster: {
    title: '名册导入',
    sub: '按模板填写会员名册（Excel 或 CSV），先试导入校验，查看问题、下载错误报告修改后重新上传，再确认导入',
    template: api.importTemplateUrl,
    list: api.imports,
    register: 'members',
    done: (n) => `导入完成：${n} 名会员已写入名册`,
  },
  enterprise: {
    title: '用人单位批量导入',
    sub: '按模板填写用人单位（Excel 或 CSV），每一行按“登记单位”的规则检查；查看问题、下载错误报告修改后重新上传，再确认导入',
    template: api.enterpriseImportTemplateUrl,
    list: api.enterpriseImports,
    register: 'enterprises',
    done: (n) => `导入完成：${n} 家单位已登记到名录`,
  },
}

const fmtSeconds = (s: number | null) =>
  s == null ? '—' : s < 60 ? `${Math.ceil(s)} 秒` : `${Math.floor(s / 60)} 分 ${Math.ceil(s % 60)} 秒`

export function ImportsPage({ kind = 'roster' }: { kind?: Kind }) {
  const text = kindText[kind]
  useTitle(text.title)
  const user = useUser()
  const writable = canWrite(user)
  const [params, setParams] = useSearchParams()
  const jobId = Number(params.get('job')) || null
  const openJob = (id: number | null) => setParams(id ? { job: String(id) } : {})

  return (
    <div className="page" data-testid="imports-page" data-kind={kind}>
      <PageHead
        title={text.title}
        sub={text.sub}
        extra={
          <Space>
            {kind === 'enterprise' && (
              <Link to="/enterprises">
                <Button icon={<ArrowLeftOutlined />}>返回用人单位名录</Button>
              </Link>
            )}
            <Button icon={<DownloadOutlined />} href={text.template()} data-testid="import-template">
              下载模板
            </Button>
            {jobId && (
              <Button icon={<CloudUploadOutlined />} onClick={() => openJob(null)} data-testid="import-new">
                新的导入
              </Button>
            )}
          </Space>
        }
      />
      {jobId ? (
        <JobPanel id={jobId} writable={writable} onReupload={() => openJob(null)} />
      ) : !writable ? null : kind === 'enterprise' ? (
        <EnterpriseUploadPanel onUploaded={(j) => openJob(j.id)} />
      ) : (
        <UploadPanel onUploaded={(j) => openJob(j.id)} />
      )}
      <PastImports kind={kind} onOpen={openJob} current={jobId} />
    </div>
  )
}

function UploadPanel({ onUploaded }: { onUploaded: (j: ImportJobView) => void }) {
  const { current } = useCurrentOrg()
  const [union, setUnion] = useState<OrgOption | null>(current ? { id: current.id, code: '', name: current.name } : null)
  const { saving: uploading, save: send } = useSave((v: { unionId: number; file: File }) => api.uploadImport(v.unionId, v.file), {
    invalidate: [['imports']],
    onSuccess: (job) => onUploaded(job),
  })
  const upload = async (file: File) => {
    if (!union) {
      feedback.message.warning('请先选择导入到哪个工会')
      return
    }
    await send({ unionId: union.id, file })
  }
  return (
    <Card size="small" className="section-card" title="1. 选择工会并上传名册">
      <Row gutter={24}>
        <Col xs={24} md={9}>
          <Typography.Paragraph strong>导入到</Typography.Paragraph>
          <UnionSelect
            value={union?.id}
            initial={union}
            onChange={(id, o) => setUnion(id ? (o ?? { id, code: '', name: String(id) }) : null)}
            testid="import-union"
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
            每行一名会员；证件号码按证件类型校验，同一证件号码在全国只能有一个会籍（一人一籍）。
            已是其他工会会员的人不会导入，请按接转办理。
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }} data-testid="import-union-column-hint">
            一个文件含多个工会的会员时，填写模板中的「所属工会」列（工会全称或组织代码，须为本级或下级工会），各行导入到所填工会；该列留空或没有该列的行导入到上面所选的工会。
          </Typography.Paragraph>
        </Col>
        <Col xs={24} md={15} data-testid="import-upload">
          <FileDrop disabled={uploading || !union} uploading={uploading} what="名册" onFile={upload} />
        </Col>
      </Row>
    </Card>
  )
}

/** The file to upload: .xlsx or .csv, dragged in or chosen. */
function FileDrop(p: { disabled: boolean; uploading: boolean; what: string; onFile: (f: File) => Promise<unknown> }) {
  return (
    <Upload.Dragger
      accept=".xlsx,.csv"
      multiple={false}
      showUploadList={false}
      disabled={p.disabled}
      beforeUpload={(f) => {
        if (!/\.(xlsx|csv)$/i.test(f.name)) feedback.message.error('只支持 .xlsx 或 .csv 文件')
        else void p.onFile(f)
        return false
      }}
    >
      <p className="ant-upload-drag-icon">
        <InboxOutlined />
      </p>
      <p className="ant-upload-text">{p.uploading ? '正在上传……' : `点击或拖入${p.what}文件`}</p>
      <p className="ant-upload-hint">支持 .xlsx / .csv；上传后先试导入，不会立即写入{p.what}</p>
    </Upload.Dragger>
  )
}

/** Units into the register, within the cadre's jurisdiction: each row names its town. */
function EnterpriseUploadPanel({ onUploaded }: { onUploaded: (j: ImportJobView) => void }) {
  const { saving, save } = useSave((file: File) => api.uploadEnterpriseImport(file), {
    invalidate: [['imports']],
    onSuccess: (job) => onUploaded(job),
  })
  return (
    <Card size="small" className="section-card" title="1. 上传用人单位名录">
      <Row gutter={24}>
        <Col xs={24} md={9}>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }} data-testid="enterprise-import-hint">
            每行一家单位；「所在镇街」填乡镇（街道）名称或行政区划代码，须在您的管辖范围内。统一社会信用代码按校验规则检查，已在名录中的单位不会重复登记。
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            法定代表人、联系人和联系电话加密保存，名录中脱敏显示。
          </Typography.Paragraph>
        </Col>
        <Col xs={24} md={15} data-testid="import-upload">
          <FileDrop disabled={saving} uploading={saving} what="用人单位名录" onFile={save} />
        </Col>
      </Row>
    </Card>
  )
}

function JobPanel({ id, writable, onReupload }: { id: number; writable: boolean; onReupload: () => void }) {
  const qc = useQueryClient()
  const job = useQuery({
    queryKey: ['imports', 'job', id],
    queryFn: () => api.importJob(id),
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'checking' || q.state.data.status === 'importing') ? 700 : false),
  })
  const [committing, setCommitting] = useState(false)
  const j = job.data
  // keep the list of past imports and the register in step with the job
  useEffect(() => {
    if (!j?.status) return
    void qc.invalidateQueries({ queryKey: ['imports', 'list'] })
    if (j.status === 'done') void qc.invalidateQueries({ queryKey: [kindText[j.kind].register] })
  }, [j?.status, qc])

  const commit = async (mode: 'all' | 'valid_only') => {
    setCommitting(true)
    try {
      const r = await api.commitImport(id, mode)
      qc.setQueryData(['imports', 'job', id], r)
      void qc.invalidateQueries({ queryKey: ['imports', 'job', id] })
    } catch (e) {
      showError(e)
    } finally {
      setCommitting(false)
    }
  }

  if (job.isLoading) return <Card className="section-card" loading />
  if (job.error || !j)
    return <Alert type="error" showIcon className="section-card" title={(job.error as Error)?.message ?? '找不到导入任务'} />

  const step = j.status === 'checking' ? 0 : j.status === 'checked' ? 1 : 2
  const pct = j.totalRows ? Math.floor((j.processedRows / j.totalRows) * 100) : 0
  const importable = j.validRows
  return (
    <Card
      size="small"
      className="section-card"
      data-testid="import-job"
      data-status={j.status}
      title={
        <Space>
          <FileExcelOutlined style={{ color: '#217346' }} />
          {j.fileName}
          <Tag color={jobStatus[j.status].color} data-testid="import-status">
            {jobStatus[j.status].label}
          </Tag>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
        {/* a roster's rows go to the union chosen at upload unless their 所属工会 column names another */}
        {j.kind === 'roster' ? '默认导入到' : '导入范围'} <b>{j.unionName}</b>
        {j.kind === 'roster' && <Typography.Text type="secondary">（填了「所属工会」的行导入到所填工会）</Typography.Text>} · 上传于{' '}
        {dayjs(j.createdAt).format('YYYY-MM-DD HH:mm')}
      </Typography.Paragraph>
      <Steps
        size="small"
        current={step}
        status={j.status === 'failed' ? 'error' : undefined}
        style={{ marginBottom: 20, maxWidth: 640 }}
        items={[{ title: '试导入校验' }, { title: '确认导入方式' }, { title: j.status === 'done' ? '导入完成' : '写入名册' }]}
      />

      {j.status === 'checking' && (
        <div data-testid="import-checking">
          <Progress percent={pct} status="active" />
          <Typography.Text type="secondary">
            已校验 {j.processedRows} / {j.totalRows || '?'} 行
            {j.rate ? `，${Math.round(j.rate)} 行/秒，预计还需 ${fmtSeconds(j.secondsLeft)}` : ''}
          </Typography.Text>
        </div>
      )}

      {j.status !== 'checking' && (
        <Row gutter={12} style={{ marginBottom: 16 }} data-testid="import-summary">
          <Col xs={12} md={4}>
            <Statistic title="总行数" value={j.totalRows} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title="正确" value={j.validRows} styles={{ content: { color: '#389e0d' } }} data-testid="import-valid" />
          </Col>
          <Col xs={12} md={4}>
            <Statistic
              title="有错误"
              value={j.errorRows}
              styles={{ content: { color: j.errorRows ? '#cf1322' : undefined } }}
              data-testid="import-errors"
            />
          </Col>
          {j.kind === 'roster' && (
            <Col xs={12} md={4}>
              <Statistic
                title="已是他处会员"
                value={j.elsewhereRows}
                styles={{ content: { color: j.elsewhereRows ? '#d46b08' : undefined } }}
              />
            </Col>
          )}
          {j.kind === 'roster' && (
            <Col xs={12} md={4}>
              <Statistic title="已在本会名册" value={j.existingRows} />
            </Col>
          )}
          {j.status === 'done' && (
            <Col xs={12} md={4}>
              <Statistic title="已导入" value={j.importedRows} styles={{ content: { color: '#c8102e' } }} data-testid="import-imported" />
            </Col>
          )}
        </Row>
      )}

      {j.status === 'checked' && (
        <div className="import-choice">
          {j.errorRows > 0 ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={`有 ${j.errorRows} 行存在错误`}
              description="可下载错误报告：其中「待修改数据」表是出错的原始行，最后一列写明问题，直接在表中改正后即可作为新文件上传；也可以只导入正确的行，错误行修正后另行导入。"
            />
          ) : (
            <Alert type="success" showIcon style={{ marginBottom: 12 }} title="校验通过，没有错误行" />
          )}
          <Space wrap>
            <Button icon={<DownloadOutlined />} href={api.importReportUrl(j.id)} data-testid="import-report">
              下载错误报告
            </Button>
            <Button icon={<ReloadOutlined />} onClick={onReupload} data-testid="import-reupload">
              修改后重新上传
            </Button>
            {writable && (
              <>
                <Popconfirm
                  title={`全部导入 ${importable} 行？`}
                  description="全部导入要求没有错误行，任何一行失败则整批不导入。"
                  okText="确认导入"
                  onConfirm={() => commit('all')}
                  disabled={j.errorRows > 0}
                >
                  <Button
                    type="primary"
                    disabled={j.errorRows > 0 || importable === 0}
                    loading={committing}
                    data-testid="import-commit-all"
                  >
                    全部导入
                  </Button>
                </Popconfirm>
                <Popconfirm
                  title={`仅导入 ${importable} 行正确的记录？`}
                  description={`${j.errorRows + j.elsewhereRows + j.existingRows} 行不导入。`}
                  okText="确认导入"
                  onConfirm={() => commit('valid_only')}
                >
                  <Button disabled={importable === 0} loading={committing} data-testid="import-commit-valid">
                    仅导入正确行（{importable}）
                  </Button>
                </Popconfirm>
              </>
            )}
          </Space>
        </div>
      )}

      {j.status === 'importing' && (
        <div data-testid="import-progress">
          <Progress percent={pct} status="active" strokeColor="#c8102e" />
          <Descriptions
            size="small"
            column={3}
            items={[
              {
                label: '已处理',
                children: (
                  <span data-testid="import-progress-rows">
                    {j.processedRows} / {j.totalRows} 行
                  </span>
                ),
              },
              { label: '速度', children: <span data-testid="import-progress-rate">{j.rate ? `${Math.round(j.rate)} 行/秒` : '—'}</span> },
              { label: '预计剩余', children: <span data-testid="import-progress-left">{fmtSeconds(j.secondsLeft)}</span> },
            ]}
          />
        </div>
      )}

      {j.status === 'done' && (
        <Result
          status="success"
          icon={<CheckCircleOutlined />}
          data-testid="import-done"
          title={kindText[j.kind].done(j.importedRows)}
          subTitle={`${j.mode === 'all' ? '全部导入' : '仅导入正确行'}；${j.finishedAt ? `完成于 ${dayjs(j.finishedAt).format('YYYY-MM-DD HH:mm:ss')}` : ''}${j.message ? `；${j.message}` : ''}`}
          extra={
            j.errorRows + j.elsewhereRows > 0 ? (
              <Button icon={<DownloadOutlined />} href={api.importReportUrl(j.id)}>
                下载未导入行的报告
              </Button>
            ) : undefined
          }
        />
      )}
      {j.status === 'failed' && (
        <Result
          status="error"
          title="导入失败"
          subTitle={j.message ?? '没有写入任何记录'}
          data-testid="import-failed"
          extra={<Button onClick={onReupload}>重新上传</Button>}
        />
      )}

      {j.status !== 'checking' && j.errorRows + j.elsewhereRows + j.existingRows > 0 && <ProblemTable job={j} />}
    </Card>
  )
}

function ProblemTable({ job }: { job: ImportJobView }) {
  const kinds = (['error', 'elsewhere', 'existing'] as const).filter(
    (k) => (k === 'error' ? job.errorRows : k === 'elsewhere' ? job.elsewhereRows : job.existingRows) > 0,
  )
  const [kind, setKind] = useState<string>(kinds[0] ?? 'error')
  const q = usePagedQuery(['imports', 'problems', job.id], (x) => api.importProblems(job.id, x), { kind }, { pageSize: 10 })
  const columns: ColumnsType<ImportProblemView> = [
    { title: '行号', dataIndex: 'rowNo', width: 80, render: (v: number) => <b>第 {v} 行</b> },
    { title: '列', dataIndex: 'column', width: 140 },
    {
      title: '原因',
      dataIndex: 'message',
      render: (v: string, p) => <span style={{ color: p.kind === 'error' ? '#cf1322' : undefined }}>{v}</span>,
    },
    ...(kind === 'elsewhere'
      ? [
          {
            title: '操作',
            key: 'op',
            width: 120,
            render: (_: unknown, p: ImportProblemView) =>
              p.canTransfer ? <AskTransfer jobId={job.id} unionName={job.unionName} rowNo={p.rowNo} /> : null,
          },
        ]
      : []),
  ]
  return (
    <div data-testid="import-problems" style={{ marginTop: 8 }}>
      <Tabs
        size="small"
        activeKey={kind}
        onChange={setKind}
        items={kinds.map((k) => ({
          key: k,
          label: (
            <span data-testid={`import-problems-tab-${k}`}>
              {kindLabels[k]}（{k === 'error' ? job.errorRows : k === 'elsewhere' ? job.elsewhereRows : job.existingRows} 行）
            </span>
          ),
        }))}
      />
      <ServerTable<ImportProblemView>
        paged={q}
        rowKey={(p) => `${p.rowNo}-${p.column}-${p.message}`}
        size="small"
        columns={columns}
        rowTestid={(p) => ({ 'data-testid': `import-problem-row-${p.rowNo}` })}
        unit="条"
        sizeChanger={false}
      />
    </div>
  )
}

/** 申请转入: the member elsewhere of an import's row, asked over to the union the roster was imported into. */
function AskTransfer({ jobId, rowNo, unionName }: { jobId: number; rowNo: number; unionName: string | null }) {
  const [asked, setAsked] = useState(false)
  const ask = useSave(() => api.transferFromImport(jobId, rowNo), {
    invalidate: [['transfers']],
    onSuccess: (t) => {
      setAsked(true)
      void feedback.message.success(
        `已申请将会籍转入「${t.toUnionName ?? unionName ?? '本工会'}」，待会员所在工会确认；可在「会员接转」中查看`,
      )
    },
  })
  if (asked) return <Tag color="processing">已申请转入</Tag>
  return (
    <Popconfirm
      title="申请转入本工会？"
      description={`将向该会员所在工会申请把会籍转入「${unionName ?? '本工会'}」，对方确认后生效。`}
      okText="申请转入"
      cancelText="取消"
      onConfirm={() => void ask.save(undefined)}
    >
      <Button size="small" loading={ask.saving} data-testid={`import-transfer-${rowNo}`}>
        申请转入
      </Button>
    </Popconfirm>
  )
}

function PastImports({ kind, onOpen, current }: { kind: Kind; onOpen: (id: number) => void; current: number | null }) {
  const q = usePagedQuery(['imports', 'list', kind], kindText[kind].list, {}, { pageSize: 10 })
  const columns: ColumnsType<ImportJobView> = [
    {
      title: '文件',
      dataIndex: 'fileName',
      render: (v: string, j) => (
        <Typography.Link onClick={() => onOpen(j.id)} strong={j.id === current}>
          {v}
        </Typography.Link>
      ),
    },
    { title: kind === 'roster' ? '导入到' : '导入人所属', dataIndex: 'unionName' },
    { title: '时间', dataIndex: 'createdAt', width: 150, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
    { title: '总行数', dataIndex: 'totalRows', width: 80, align: 'right' },
    {
      title: '错误',
      dataIndex: 'errorRows',
      width: 70,
      align: 'right',
      render: (v: number) => <span style={{ color: v ? '#cf1322' : undefined }}>{v}</span>,
    },
    { title: '已导入', dataIndex: 'importedRows', width: 80, align: 'right' },
    {
      title: '方式',
      dataIndex: 'mode',
      width: 110,
      render: (v: string | null) => (v === 'all' ? '全部导入' : v === 'valid_only' ? '仅导入正确行' : '—'),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 110,
      render: (v: ImportJobView['status']) => <Tag color={jobStatus[v]?.color}>{jobStatus[v]?.label ?? v}</Tag>,
    },
  ]
  return (
    <Card size="small" className="section-card" title="导入记录" data-testid="import-list">
      <ServerTable<ImportJobView>
        paged={q}
        size="small"
        columns={columns}
        rowTestid={(j) => ({ 'data-testid': `import-row-${j.id}` })}
        empty="暂无导入记录"
        hideOnSinglePage
      />
    </Card>
  )
}
