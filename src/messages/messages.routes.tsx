import { Hono } from 'hono'
import { isHtmx, readForm, requireAuth, type AppEnv } from '../http'
import { AppError, notFound } from '../shared/errors'
import { parseInput } from '../shared/validation'
import { boardPageProps, composerProps } from '../boards/boards.page'
import { getBoard } from '../boards/boards.usecases'
import {
  BoardAlerts,
  Composer,
  ComposerTemplates,
  EditMessageForm,
  MessageItem,
  SidePanel,
} from '../../views/boards/board'
import { createMessagesRepository } from './messages.repository'
import { clientAddress } from '../team/audit'
import { editMessageSchema, postMessageSchema } from './messages.schemas'
import { editStaffMessage, postStaffMessage } from './messages.usecases'
import { calendarFor, resolveComposerNextContact } from '../next-contact/next-contact.usecases'

export function messagesRoutes() {
  const routes = new Hono<AppEnv>()

  routes.post('/:id/messages', async (c) => {
    const deps = c.get('deps')
    const auth = requireAuth(c)
    const boardId = c.req.param('id')
    const form = await readForm(c)
    try {
      const input = parseInput(
        postMessageSchema,
        resolveComposerNextContact({
          form,
          workspace: auth.workspace,
          now: deps.clock.now(),
          calendar: await calendarFor({ deps, workspace: auth.workspace, text: form.body ?? '' }),
        }),
      )
      const { board } = await postStaffMessage({
        deps,
        workspace: auth.workspace,
        author: { kind: 'member', memberId: auth.member.id, name: auth.member.name },
        boardId,
        input,
      })
      if (!isHtmx(c)) return c.redirect(`/w/${auth.workspace.slug}/boards/${board.id}`, 303)
      // A fresh composer saying what happened; the poller picks the new message up at once.
      c.header('HX-Trigger', 'thread-changed')
      return c.html(
        <Composer {...await composerProps(c, board)} sent={input.internal ? 'note' : 'message'} />,
      )
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error
      const board = await getBoard({ deps, workspace: auth.workspace, boardId })
      const props = await composerProps(c, board, {
        composer: { values: form, problems: error.details },
      })
      c.header('HX-Reswap', 'outerHTML')
      return c.html(<Composer {...props} />, 422)
    }
  })

  routes.get('/:id/messages/:messageId/edit', async (c) => {
    const deps = c.get('deps')
    const auth = requireAuth(c)
    const board = await getBoard({ deps, workspace: auth.workspace, boardId: c.req.param('id') })
    const message = await createMessagesRepository(deps).findById(
      auth.workspace.id,
      c.req.param('messageId'),
    )
    if (!message || message.board_id !== board.id || message.author_kind === 'guest')
      throw notFound()
    return c.html(
      <EditMessageForm
        t={c.get('t')}
        locale={c.get('locale')}
        auth={auth.view}
        board={board}
        message={message}
      />,
    )
  })

  routes.post('/:id/messages/:messageId', async (c) => {
    const deps = c.get('deps')
    const auth = requireAuth(c)
    const boardId = c.req.param('id')
    const { body } = parseInput(editMessageSchema, await readForm(c))
    await editStaffMessage({
      deps,
      workspace: auth.workspace,
      boardId,
      messageId: c.req.param('messageId'),
      body,
      audit: { actor: { id: auth.member.id, name: auth.member.name }, ip: clientAddress(c) },
    })
    const board = await getBoard({ deps, workspace: auth.workspace, boardId })
    if (!isHtmx(c)) return c.redirect(`/w/${auth.workspace.slug}/boards/${board.id}`, 303)
    const props = await boardPageProps(c, board, { rows: true })
    const message = props.thread?.find((m) => m.id === c.req.param('messageId'))
    if (!message) throw notFound()
    // The edit may have moved the board's next contact date: the side panel follows, and the
    // composer's "keeps …" line asks again.
    c.header('HX-Trigger', 'next-contact-refresh')
    return c.html(
      <>
        <MessageItem {...props} message={message} />
        <SidePanel {...props} oob />
        <BoardAlerts {...props} oob />
        <ComposerTemplates {...props} oob />
      </>,
    )
  })

  return routes
}
